package dev.factline.saga;

import static dev.factline.eventsourcing.Generators.integers;
import static dev.factline.eventsourcing.Generators.lists;
import static dev.factline.eventsourcing.Generators.longs;
import static dev.factline.eventsourcing.Generators.weight;
import static dev.factline.eventsourcing.Generators.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.factline.account.AccountDebited;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountRefunded;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.order.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Deposits, orders and customers' cancellations against one account, with the saga's inbox
 * delivered in any order, some events twice (some of those past their key's expiry, under a new
 * id), and everything replayed at the end.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderPaymentSagaProperties {

    sealed interface Step {
    }

    record Deposit(long amount) implements Step {
    }

    record Place(long total) implements Step {
    }

    record CancelByCustomer(int order) implements Step {
    }

    /**
     * Delivers the inbox's event at {@code index} (modulo its size); {@code again}: it stays for
     * another delivery; {@code keyExpired}: under a new event id, as a re-delivery meets it once its
     * derived key has expired.
     */
    record Deliver(int index, boolean again, boolean keyExpired) implements Step {
    }

    @Test
    void money_is_conserved_and_every_order_ends_paid_or_cancelled_with_its_money_back() {
        qt().withExamples(200).forAll(workloads()).checkAssert(workload -> {
            SagaWorld world = new SagaWorld();
            world.open("a-1");
            List<String> orders = new ArrayList<>();
            List<RecordedEvent> delivered = new ArrayList<>();
            for (Step step : workload) {
                switch (step) {
                    case Deposit(long amount) -> world.deposit("a-1", amount);
                    case Place(long total) -> {
                        String id = "o-" + (orders.size() + 1);
                        orders.add(id);
                        world.place(id, "a-1", total);
                    }
                    case CancelByCustomer(int order) -> {
                        if (!orders.isEmpty()) {
                            world.cancelByCustomer(orders.get(order % orders.size()));
                        }
                    }
                    case Deliver(int index, boolean again, boolean keyExpired) -> {
                        if (!world.pending.isEmpty()) {
                            int at = index % world.pending.size();
                            RecordedEvent event = again ? world.pending.get(at) : world.pending.remove(at);
                            if (keyExpired && again) {
                                event = new RecordedEvent(UUID.randomUUID(), event.streamId(), event.version(), event.type(),
                                        event.schemaVersion(), event.occurredAt(), event.payload(), event.metadata());
                            }
                            delivered.add(event);
                            world.deliver(event);
                        }
                    }
                }
            }
            world.settle();
            delivered.forEach(world::deliver); // a replay of everything delivered before: nothing moves
            world.settle();

            List<AccountEvent> history = world.accountEvents("a-1");
            long deposits = sum(history, MoneyDeposited.class);
            long debited = sum(history, AccountDebited.class);
            long refunded = sum(history, AccountRefunded.class);
            long balance = world.balance("a-1").minorUnits();
            assertThat(balance).isNotNegative();
            assertThat(deposits).isEqualTo(balance + debited - refunded);

            long paidTotals = 0;
            for (String order : orders) {
                long debits = history.stream().filter(event -> event instanceof AccountDebited debit && debit.orderId().equals(order)).count();
                long refunds = history.stream().filter(event -> event instanceof AccountRefunded refund && refund.orderId().equals(order)).count();
                switch (world.orderState(order)) {
                    case OrderState.Paid paid -> {
                        assertThat(debits).as(order).isEqualTo(1);
                        assertThat(refunds).as(order).isZero();
                        paidTotals += paid.amountPaid().minorUnits();
                    }
                    case OrderState.Cancelled cancelled -> {
                        assertThat(debits).as(order).isLessThanOrEqualTo(1);
                        assertThat(refunds).as(order + " gets back what it was debited").isEqualTo(debits);
                    }
                    case OrderState other -> throw new AssertionError(order + " was left " + other);
                }
            }
            assertThat(balance).isEqualTo(deposits - paidTotals);
        });
    }

    private static long sum(List<AccountEvent> history, Class<? extends AccountEvent> type) {
        return history.stream().filter(type::isInstance).mapToLong(event -> switch (event) {
            case MoneyDeposited deposit -> deposit.amount().minorUnits();
            case AccountDebited debit -> debit.amount().minorUnits();
            case AccountRefunded refund -> refund.amount().minorUnits();
            default -> throw new IllegalArgumentException("not a movement of money: " + event);
        }).sum();
    }

    private static Gen<List<Step>> workloads() {
        Gen<Step> deposit = longs(1, 5_000).map(Deposit::new);
        Gen<Step> place = longs(1, 3_000).map(Place::new);
        Gen<Step> cancel = integers(0, 1_000).map(CancelByCustomer::new);
        Gen<Step> deliver = integers(0, 1_000).zip(Generate.pick(List.of(true, false, false)), Generate.pick(List.of(true, false, false, false)),
                Deliver::new);
        return lists(weighted(weight(2, deposit), weight(3, place), weight(1, cancel), weight(6, deliver)), 0, 60);
    }
}
