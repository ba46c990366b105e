package dev.factline.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.account.AccountState.Closed;
import dev.factline.account.AccountState.Open;
import dev.factline.account.AccountState.OrderLedger;
import dev.factline.account.AccountState.OrderPayment;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventDecodingException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccountCodecTest {

    private static final StreamId STREAM = Accounts.TYPE.streamId("a-1");
    private static final EventCodec<AccountEvent> CODEC = Accounts.codec();

    static RecordedEvent stored(String type, int schemaVersion, String payload) {
        return new RecordedEvent(
                UUID.fromString("00000000-0000-0000-0000-000000000007"),
                STREAM,
                7,
                type,
                schemaVersion,
                Instant.parse("2026-01-02T03:04:05Z"),
                payload,
                EventMetadata.forCommand("cmd-1"));
    }

    @Test
    void the_account_type_hosts_account_streams_with_this_codec() {
        assertThat(Accounts.TYPE.streamType()).isEqualTo("account").isEqualTo(Accounts.STREAM_TYPE);
        assertThat(Accounts.TYPE.events()).isSameAs(CODEC);
        assertThat(Accounts.TYPE.state().schemaVersion()).isEqualTo(1);
        assertThat(CODEC.typeNames()).containsExactlyInAnyOrder(
                "AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "AccountDebited", "DebitDeclined", "AccountRefunded", "AccountClosed");
    }

    @Nested
    class Money_deposited_through_its_schema_versions {

        @Test
        void a_v1_deposit_with_a_flat_amount_reads_as_the_current_record() {
            AccountEvent event = CODEC.decode(stored("MoneyDeposited", 1, """
                    {"amount": 1250, "currency": "EUR"}"""));

            assertThat(event).isEqualTo(new MoneyDeposited(Money.of(1250, "EUR"), null));
        }

        @Test
        void a_v2_deposit_with_nested_money_reads_as_the_current_record() {
            AccountEvent event = CODEC.decode(stored("MoneyDeposited", 2, """
                    {"amount": {"minorUnits": 1250, "currency": "EUR"}}"""));

            assertThat(event).isEqualTo(new MoneyDeposited(Money.of(1250, "EUR"), null));
        }

        @Test
        void a_v3_deposit_carries_its_reference() {
            AccountEvent event = CODEC.decode(stored("MoneyDeposited", 3, """
                    {"amount": {"minorUnits": 1250, "currency": "JPY"}, "reference": "birthday"}"""));

            assertThat(event).isEqualTo(new MoneyDeposited(Money.of(1250, "JPY"), "birthday"));
        }

        @Test
        void encoding_writes_schema_version_3_with_the_reference_even_when_absent() {
            SerializedEvent encoded = CODEC.encode(new MoneyDeposited(Money.of(1250, "EUR"), null));

            assertThat(encoded.type()).isEqualTo("MoneyDeposited");
            assertThat(encoded.schemaVersion()).isEqualTo(3);
            assertThat(encoded.payload()).isEqualTo("""
                    {"amount":{"minorUnits":1250,"currency":"EUR"},"reference":null}""");
        }

        @Test
        void a_v3_deposit_without_the_reference_field_is_not_quietly_read_as_null() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyDeposited", 3, """
                    {"amount": {"minorUnits": 1250, "currency": "EUR"}}""")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("reference");
        }

        @Test
        void a_v1_deposit_whose_amount_is_not_a_whole_number_fails_in_the_upcaster() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyDeposited", 1, """
                    {"amount": 12.5, "currency": "EUR"}""")))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.schemaVersion()).isEqualTo(1))
                    .hasMessageContaining("upcaster v1 -> v2")
                    .hasMessageContaining("'amount'");
        }

        @Test
        void a_v1_deposit_without_currency_fails_in_the_upcaster() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyDeposited", 1, """
                    {"amount": 1250}""")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("'currency'");
        }

        @Test
        void a_v1_deposit_with_an_unknown_currency_code_is_undecodable() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyDeposited", 1, """
                    {"amount": 1250, "currency": "EURO"}""")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("account#a-1");
        }

        @Test
        void a_schema_version_newer_than_v3_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyDeposited", 4, "{}")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("v3");
        }
    }

    @Nested
    class Undecodable_events {

        @Test
        void an_unknown_type_names_stream_version_and_type() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyTeleported", 1, "{}")))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.streamId()).isEqualTo(STREAM);
                        assertThat(e.version()).isEqualTo(7);
                        assertThat(e.type()).isEqualTo("MoneyTeleported");
                    })
                    .hasMessageContaining("account#a-1")
                    .hasMessageContaining("version 7")
                    .hasMessageContaining("MoneyTeleported");
        }

        @Test
        void a_payload_of_the_wrong_shape_names_stream_version_and_type() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyWithdrawn", 1, """
                    {"amount": "lots"}""")))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.streamId()).isEqualTo(STREAM);
                        assertThat(e.version()).isEqualTo(7);
                        assertThat(e.type()).isEqualTo("MoneyWithdrawn");
                        assertThat(e.schemaVersion()).isEqualTo(1);
                    })
                    .hasMessageContaining("account#a-1")
                    .hasMessageContaining("version 7")
                    .hasMessageContaining("MoneyWithdrawn");
        }

        @Test
        void a_payload_that_is_not_json_is_undecodable() {
            assertThatThrownBy(() -> CODEC.decode(stored("AccountClosed", 1, "not json")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("AccountClosed");
        }

        @Test
        void an_unexpected_field_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("AccountOpened", 1, """
                    {"ownerId": "c-1", "currency": "EUR", "nickname": "rainy day"}""")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("nickname");
        }

        @Test
        void a_missing_required_field_is_refused_even_as_an_explicit_null() {
            assertThatThrownBy(() -> CODEC.decode(stored("AccountDebited", 1, """
                    {"orderId": null, "amount": {"minorUnits": 5, "currency": "EUR"}}""")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("orderId");
        }

        @Test
        void a_negative_amount_is_refused() {
            assertThatThrownBy(() -> CODEC.decode(stored("MoneyWithdrawn", 1, """
                    {"amount": {"minorUnits": -5, "currency": "EUR"}}""")))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("never negative");
        }
    }

    @Nested
    class Stored_shapes {

        @Test
        void a_declined_debit_stores_its_reason_by_name() {
            SerializedEvent encoded = CODEC.encode(new DebitDeclined("o-1", Money.of(5, "EUR"), DeclineReason.CURRENCY_MISMATCH));

            assertThat(encoded.schemaVersion()).isEqualTo(1);
            assertThat(encoded.payload()).isEqualTo("""
                    {"orderId":"o-1","amount":{"minorUnits":5,"currency":"EUR"},"reason":"CURRENCY_MISMATCH"}""");
        }

        @Test
        void a_closed_account_stores_an_empty_object() {
            assertThat(CODEC.encode(new AccountClosed()).payload()).isEqualTo("{}");
            assertThat(CODEC.decode(stored("AccountClosed", 1, "{}"))).isEqualTo(new AccountClosed());
        }
    }

    @Nested
    class Snapshots {

        private final StateCodec<AccountState> codec = Accounts.TYPE.state();

        @Test
        void an_open_account_is_stored_tagged_with_its_status_and_orders_sorted() {
            Open open = new Open("c-1", Money.currency("EUR"), Money.of(300, "EUR"), new OrderLedger(Map.of(
                    "o-2", new OrderPayment(Money.of(50, "EUR"), null),
                    "o-1", new OrderPayment(Money.of(200, "EUR"), Money.of(20, "EUR")))));

            String json = codec.encode(open);

            assertThat(json).isEqualTo("""
                    {"status":"open","ownerId":"c-1","currency":"EUR","balance":{"minorUnits":300,"currency":"EUR"},\
                    "orders":{"payments":{\
                    "o-1":{"debited":{"minorUnits":200,"currency":"EUR"},"refunded":{"minorUnits":20,"currency":"EUR"}},\
                    "o-2":{"debited":{"minorUnits":50,"currency":"EUR"},"refunded":null}}}}""");
            assertThat(codec.decode(json)).isEqualTo(open);
        }

        @Test
        void unopened_and_closed_accounts_round_trip() {
            AccountState closed = new Closed("c-1", Money.currency("EUR"), new OrderLedger(Map.of("o-1", new OrderPayment(Money.of(5, "EUR"), null))));

            assertThat(codec.encode(AccountState.initial())).isEqualTo("{\"status\":\"unopened\"}");
            assertThat(codec.decode(codec.encode(AccountState.initial()))).isEqualTo(AccountState.initial());
            assertThat(codec.decode(codec.encode(closed))).isEqualTo(closed);
        }

        @Test
        void a_snapshot_with_a_refund_larger_than_its_debit_is_refused() {
            assertThatThrownBy(() -> codec.decode("""
                    {"status":"closed","ownerId":"c-1","currency":"EUR","orders":{"payments":{\
                    "o-1":{"debited":{"minorUnits":20,"currency":"EUR"},"refunded":{"minorUnits":21,"currency":"EUR"}}}}}"""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("20 EUR")
                    .hasMessageContaining("21 EUR");
        }

        @Test
        void a_snapshot_with_an_unknown_field_is_refused() {
            assertThatThrownBy(() -> codec.decode("""
                    {"status":"unopened","ownerId":"c-1"}"""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ownerId");
        }
    }
}
