package dev.factline.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountDebited;
import dev.factline.account.AccountRefunded;
import dev.factline.account.AccountRule;
import dev.factline.account.Accounts;
import dev.factline.account.DebitDeclined;
import dev.factline.account.DebitForOrder;
import dev.factline.account.DeclineReason;
import dev.factline.account.MoneyDeposited;
import dev.factline.account.RefundForOrder;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPaid;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderRule;
import dev.factline.order.Orders;
import dev.factline.order.Refund;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaDecisionsTest {

    private static final UUID EVENT = UUID.fromString("00000000-0000-0000-0000-00000000abcd");
    private static final IdempotencyKey KEY = new IdempotencyKey("saga-00000000-0000-0000-0000-00000000abcd");
    private static final IdempotencyKey COMPENSATION = new IdempotencyKey("saga-00000000-0000-0000-0000-00000000abcd-compensation");
    private static final StreamId ORDER = Orders.TYPE.streamId("o-1");
    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final Money TOTAL = Money.of(1_250, "EUR");

    @Nested
    class Reactions {

        @Test
        void a_placed_order_debits_its_account_for_the_total_under_a_key_derived_from_the_event() {
            OrderPlaced placed = new OrderPlaced("c-1", "a-1", List.of(new OrderLine("sku", 1, TOTAL)), TOTAL);

            assertThat(OrderPaymentSaga.react(ORDER, EVENT, placed))
                    .contains(new SagaStep.ToAccount(ACCOUNT, new DebitForOrder("o-1", TOTAL), KEY, EVENT, ORDER));
        }

        @Test
        void a_debited_account_marks_the_order_paid() {
            assertThat(OrderPaymentSaga.react(ACCOUNT, EVENT, new AccountDebited("o-1", TOTAL)))
                    .contains(new SagaStep.ToOrder(ORDER, new MarkOrderPaid(TOTAL), KEY, EVENT, ACCOUNT));
        }

        @Test
        void a_declined_debit_cancels_the_order_with_the_reason() {
            assertThat(OrderPaymentSaga.react(ACCOUNT, EVENT, new DebitDeclined("o-1", TOTAL, DeclineReason.INSUFFICIENT_FUNDS)))
                    .contains(new SagaStep.ToOrder(ORDER, new CancelOrder("payment declined: insufficient funds"), KEY, EVENT, ACCOUNT));
            assertThat(OrderPaymentSaga.react(ACCOUNT, EVENT, new DebitDeclined("o-1", TOTAL, DeclineReason.ACCOUNT_CLOSED)))
                    .hasValueSatisfying(step -> assertThat(((SagaStep.ToOrder) step).command())
                            .isEqualTo(new CancelOrder("payment declined: account closed")));
        }

        @Test
        void a_paid_order_cancelled_is_refunded_to_the_account_that_paid() {
            OrderCancelled cancelled = new OrderCancelled("changed my mind", new Refund("a-1", TOTAL));

            assertThat(OrderPaymentSaga.react(ORDER, EVENT, cancelled))
                    .contains(new SagaStep.ToAccount(ACCOUNT, new RefundForOrder("o-1", TOTAL), KEY, EVENT, ORDER));
        }

        @Test
        void an_unpaid_order_cancelled_needs_nothing() {
            assertThat(OrderPaymentSaga.react(ORDER, EVENT, new OrderCancelled("payment declined: insufficient funds", null))).isEmpty();
        }

        @Test
        void events_the_saga_does_not_follow_are_passed_over() {
            assertThat(OrderPaymentSaga.react(ORDER, EVENT, new OrderPaid(TOTAL))).isEmpty();
            assertThat(OrderPaymentSaga.react(ACCOUNT, EVENT, new AccountRefunded("o-1", TOTAL))).isEmpty();
            assertThat(OrderPaymentSaga.react(ACCOUNT, EVENT, new MoneyDeposited(TOTAL, null))).isEmpty();
        }

        @Test
        void a_stored_event_is_decoded_only_when_the_saga_follows_its_type() {
            RecordedEvent unreadableDeposit = new RecordedEvent(EVENT, ACCOUNT, 2, "MoneyDeposited", 3, Instant.EPOCH, "{\"not\":\"a deposit\"}",
                    EventMetadata.forCommand("c"));

            assertThat(OrderPaymentSaga.react(unreadableDeposit)).isEmpty();
            assertThat(OrderPaymentSaga.react(stored(ACCOUNT, Accounts.codec().encode(new AccountDebited("o-1", TOTAL)))))
                    .contains(new SagaStep.ToOrder(ORDER, new MarkOrderPaid(TOTAL), KEY, EVENT, ACCOUNT));
        }

        @Test
        void every_delivery_of_one_event_gives_the_same_command_and_key() {
            OrderEvent placed = new OrderPlaced("c-1", "a-1", List.of(new OrderLine("sku", 1, TOTAL)), TOTAL);

            assertThat(OrderPaymentSaga.react(ORDER, EVENT, placed)).isEqualTo(OrderPaymentSaga.react(ORDER, EVENT, placed));
            assertThat(OrderPaymentSaga.react(ORDER, UUID.randomUUID(), placed).orElseThrow().key()).isNotEqualTo(KEY);
        }
    }

    @Nested
    class Refusals {

        @Test
        void a_debit_the_order_will_not_take_is_refunded() {
            SagaStep pay = new SagaStep.ToOrder(ORDER, new MarkOrderPaid(TOTAL), KEY, EVENT, ACCOUNT);

            assertThat(OrderPaymentSaga.afterRefusal(pay, OrderRule.ORDER_CANCELLED))
                    .contains(new SagaStep.ToAccount(ACCOUNT, new RefundForOrder("o-1", TOTAL), COMPENSATION, EVENT, ACCOUNT));
        }

        @Test
        void a_debit_refused_because_the_order_is_paid_or_shipped_is_not_refunded_as_that_payment_may_be_this_very_debit() {
            // A re-delivery of AccountDebited after its key expired meets the payment it made itself.
            SagaStep pay = new SagaStep.ToOrder(ORDER, new MarkOrderPaid(TOTAL), KEY, EVENT, ACCOUNT);

            assertThat(OrderPaymentSaga.afterRefusal(pay, OrderRule.ORDER_ALREADY_PAID)).isEmpty();
            assertThat(OrderPaymentSaga.afterRefusal(pay, OrderRule.ORDER_SHIPPED)).isEmpty();
        }

        @Test
        void an_order_whose_account_was_never_opened_is_cancelled() {
            SagaStep debit = new SagaStep.ToAccount(ACCOUNT, new DebitForOrder("o-1", TOTAL), KEY, EVENT, ORDER);

            assertThat(OrderPaymentSaga.afterRefusal(debit, AccountRule.ACCOUNT_NOT_OPEN))
                    .contains(new SagaStep.ToOrder(ORDER, new CancelOrder("payment declined: account not open"), COMPENSATION, EVENT, ORDER));
        }

        @Test
        void other_refusals_are_the_outcome() {
            assertThat(OrderPaymentSaga.afterRefusal(new SagaStep.ToAccount(ACCOUNT, new DebitForOrder("o-1", TOTAL), KEY, EVENT, ORDER),
                    AccountRule.ORDER_ALREADY_DEBITED)).isEmpty();
            assertThat(OrderPaymentSaga.afterRefusal(new SagaStep.ToOrder(ORDER, new CancelOrder("payment declined: x"), KEY, EVENT, ACCOUNT),
                    OrderRule.ORDER_CANCELLED)).isEmpty();
            assertThat(OrderPaymentSaga.afterRefusal(new SagaStep.ToAccount(ACCOUNT, new RefundForOrder("o-1", TOTAL), KEY, EVENT, ORDER),
                    AccountRule.ORDER_ALREADY_REFUNDED)).isEmpty();
        }
    }

    @Test
    void fingerprints_tell_commands_apart_and_stay_the_same_for_the_same_command() {
        SagaStep debit = new SagaStep.ToAccount(ACCOUNT, new DebitForOrder("o-1", TOTAL), KEY, EVENT, ORDER);

        assertThat(debit.fingerprint()).isEqualTo("saga|account#a-1|DebitForOrder|o-1|1250|EUR");
        assertThat(new SagaStep.ToAccount(ACCOUNT, new DebitForOrder("o-1", Money.of(1_251, "EUR")), KEY, EVENT, ORDER).fingerprint())
                .isNotEqualTo(debit.fingerprint());
        assertThat(new SagaStep.ToOrder(ORDER, new CancelOrder("payment declined: insufficient funds"), KEY, EVENT, ACCOUNT).fingerprint())
                .isEqualTo("saga|order#o-1|CancelOrder|payment declined: insufficient funds");
    }

    private static RecordedEvent stored(StreamId stream, SerializedEvent event) {
        return new RecordedEvent(EVENT, stream, 3, event.type(), event.schemaVersion(), Instant.EPOCH, event.payload(), EventMetadata.forCommand("c"));
    }
}
