package dev.factline.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountDebited;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountRefunded;
import dev.factline.eventsourcing.ProcessOutcome;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.money.Money;
import dev.factline.order.OrderState;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The saga issuing its commands through the kernel's handlers, on an in-memory store. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaRunnerTest {

    private final SagaWorld world = new SagaWorld();

    @Test
    void a_placed_order_the_account_can_pay_ends_paid_and_debited_once() {
        world.open("a-1");
        world.deposit("a-1", 5_000);
        world.place("o-1", "a-1", 1_250);

        world.settle();

        assertThat(world.orderState("o-1")).isInstanceOf(OrderState.Paid.class);
        assertThat(world.balance("a-1")).isEqualTo(Money.of(3_750, "EUR"));
    }

    @Test
    void an_order_the_account_cannot_pay_is_cancelled_with_the_reason() {
        world.open("a-1");
        world.deposit("a-1", 1_000);
        world.place("o-1", "a-1", 1_250);

        world.settle();

        assertThat(world.orderState("o-1")).isInstanceOfSatisfying(OrderState.Cancelled.class, cancelled -> {
            assertThat(cancelled.reason()).isEqualTo("payment declined: insufficient funds");
            assertThat(cancelled.refund()).isNull();
        });
        assertThat(world.balance("a-1")).isEqualTo(Money.of(1_000, "EUR"));
    }

    @Test
    void every_event_delivered_again_is_answered_with_the_original_commits_and_moves_no_money() {
        world.open("a-1");
        world.deposit("a-1", 5_000);
        world.place("o-1", "a-1", 1_250);
        List<RecordedEvent> delivered = new java.util.ArrayList<>();
        while (!world.pending.isEmpty()) {
            RecordedEvent next = world.pending.removeFirst();
            delivered.add(next);
            world.deliver(next);
        }
        world.cancelByCustomer("o-1");
        while (!world.pending.isEmpty()) {
            RecordedEvent next = world.pending.removeFirst();
            delivered.add(next);
            world.deliver(next);
        }
        world.outcomes.clear();

        delivered.forEach(world::deliver);

        assertThat(world.outcomes).isNotEmpty().allSatisfy(outcome ->
                assertThat(outcome).isInstanceOfSatisfying(ProcessOutcome.Issued.class, issued -> assertThat(issued.result().replayed()).isTrue()));
        assertThat(world.accountEvents("a-1")).filteredOn(AccountDebited.class::isInstance).hasSize(1);
        assertThat(world.accountEvents("a-1")).filteredOn(AccountRefunded.class::isInstance).hasSize(1);
        assertThat(world.balance("a-1")).isEqualTo(Money.of(5_000, "EUR"));
    }

    @Test
    void past_the_keys_expiry_a_redelivery_still_moves_no_money_as_the_account_s_ledger_refuses_it() {
        world.open("a-1");
        world.deposit("a-1", 2_000);
        world.place("o-paid", "a-1", 1_000);
        world.place("o-refunded", "a-1", 500);
        world.place("o-declined", "a-1", 5_000);
        world.settle();
        world.cancelByCustomer("o-refunded");
        world.settle();
        Money before = world.balance("a-1");
        List<RecordedEvent> everything = new java.util.ArrayList<>();
        for (String stream : List.of("o-paid", "o-refunded", "o-declined")) {
            everything.addAll(world.store.load(SagaWorld.order(stream)));
        }
        everything.addAll(world.store.load(SagaWorld.account("a-1")));

        // An expired key is a key the store no longer knows: the same events under new ids.
        for (RecordedEvent event : everything) {
            world.deliver(new RecordedEvent(java.util.UUID.randomUUID(), event.streamId(), event.version(), event.type(),
                    event.schemaVersion(), event.occurredAt(), event.payload(), event.metadata()));
        }
        world.settle();

        assertThat(before).isEqualTo(Money.of(1_000, "EUR"));
        assertThat(world.balance("a-1")).isEqualTo(before);
        assertThat(world.orderState("o-paid")).isInstanceOf(OrderState.Paid.class);
        assertThat(world.accountEvents("a-1")).filteredOn(AccountDebited.class::isInstance)
                .extracting(event -> ((AccountDebited) event).orderId()).containsExactly("o-paid", "o-refunded");
    }

    @Test
    void a_debit_for_an_order_the_customer_cancelled_meanwhile_is_refunded() {
        world.open("a-1");
        world.deposit("a-1", 5_000);
        world.pending.clear();
        world.place("o-1", "a-1", 1_250);
        world.deliver(world.pending.removeFirst()); // OrderPlaced: the account is debited
        world.cancelByCustomer("o-1"); // before the saga marks it paid

        world.settle();

        assertThat(world.outcomes).anySatisfy(outcome -> assertThat(outcome).isInstanceOfSatisfying(ProcessOutcome.Refused.class,
                refused -> assertThat(refused.code()).isEqualTo("order-cancelled")));
        List<AccountEvent> events = world.accountEvents("a-1");
        assertThat(events).filteredOn(AccountRefunded.class::isInstance).hasSize(1);
        assertThat(world.balance("a-1")).isEqualTo(Money.of(5_000, "EUR"));
        assertThat(world.orderState("o-1")).isInstanceOfSatisfying(OrderState.Cancelled.class,
                cancelled -> assertThat(cancelled.reason()).isEqualTo("changed my mind"));
    }

    @Test
    void an_order_against_an_account_never_opened_is_cancelled() {
        world.place("o-1", "ghost", 1_250);

        world.settle();

        assertThat(world.orderState("o-1")).isInstanceOfSatisfying(OrderState.Cancelled.class,
                cancelled -> assertThat(cancelled.reason()).isEqualTo("payment declined: account not open"));
    }

    @Test
    void the_saga_s_commands_carry_the_conversation_and_their_cause() {
        world.open("a-1");
        world.deposit("a-1", 5_000);
        world.pending.clear();
        world.place("o-1", "a-1", 1_250);
        RecordedEvent placed = world.pending.getFirst();

        world.settle();

        RecordedEvent debited = world.store.load(SagaWorld.account("a-1")).getLast();
        assertThat(debited.type()).isEqualTo("AccountDebited");
        assertThat(debited.metadata().causationId()).isEqualTo(placed.eventId().toString());
        assertThat(debited.metadata().correlationId()).isEqualTo(placed.metadata().correlationId());
        assertThat(debited.metadata().commandId()).isEqualTo("saga-" + placed.eventId());
    }
}
