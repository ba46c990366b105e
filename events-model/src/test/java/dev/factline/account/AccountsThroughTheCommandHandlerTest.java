package dev.factline.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.money.Money;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Currency;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The account domain hosted by the kernel, as the command functions will host it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccountsThroughTheCommandHandlerTest {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-42");
    private static final EventMetadata METADATA = EventMetadata.forCommand("req-1");

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts = new CommandHandler<>(
            Accounts.TYPE, store, InstantSource.fixed(Instant.parse("2026-02-03T04:05:06Z")), IdGenerator.random(),
            WritePolicy.defaults().withSnapshots(SnapshotPolicy.every(2)).withRecentStreams(0));

    @Test
    void a_deposit_is_stored_at_the_current_schema_and_an_idempotent_retry_is_answered_from_the_record() {
        accounts.handle(CommandRequest.of(ACCOUNT, new OpenAccount("c-7", Currency.getInstance("EUR")), METADATA));
        Idempotency idempotency = new Idempotency(new IdempotencyKey("deposit-0001"), "POST /accounts/a-42/deposits {1000}");
        CommandRequest<DepositMoney> deposit =
                CommandRequest.of(ACCOUNT, new DepositMoney(Money.of(1_000, "EUR"), "salary"), METADATA).withIdempotency(idempotency);

        CommandResult first = accounts.handle(deposit);
        CommandResult retry = accounts.handle(deposit);

        assertThat(first.events()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("MoneyDeposited");
            assertThat(event.schemaVersion()).isEqualTo(Accounts.MONEY_DEPOSITED_SCHEMA_VERSION);
            assertThat(event.payload()).isEqualTo("{\"amount\":{\"minorUnits\":1000,\"currency\":\"EUR\"},\"reference\":\"salary\"}");
        });
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.events()).isEqualTo(first.events());
        assertThat(store.load(ACCOUNT)).hasSize(2);
    }

    @Test
    void an_overdraft_is_refused_and_the_balance_comes_from_the_snapshot_and_later_events() {
        accounts.handle(CommandRequest.of(ACCOUNT, new OpenAccount("c-7", Currency.getInstance("EUR")), METADATA));
        accounts.handle(CommandRequest.of(ACCOUNT, new DepositMoney(Money.of(500, "EUR"), null), METADATA));
        accounts.handle(CommandRequest.of(ACCOUNT, new WithdrawMoney(Money.of(200, "EUR")), METADATA));

        assertThatThrownBy(() -> accounts.handle(CommandRequest.of(ACCOUNT, new WithdrawMoney(Money.of(301, "EUR")), METADATA)))
                .isInstanceOfSatisfying(DomainRuleViolationException.class, refusal -> assertThat(refusal.code()).isEqualTo("insufficient-funds"));

        var loaded = accounts.repository().load(ACCOUNT);
        assertThat(loaded.snapshotVersion()).isEqualTo(2);
        assertThat(loaded.eventsReplayed()).isEqualTo(1);
        assertThat(loaded.state()).isInstanceOfSatisfying(AccountState.Open.class,
                open -> assertThat(open.balance()).isEqualTo(Money.of(300, "EUR")));
    }
}
