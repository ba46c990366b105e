package dev.factline.order;

import static dev.factline.eventsourcing.Generators.lists;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.Tally;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The order view and the dashboard tally, over any history the decider allows. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderViewProperties {

    private static final StreamId ORDER = Orders.TYPE.streamId("o-1");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    private static final OrderDecider DECIDER = new OrderDecider();

    @Test
    void the_view_follows_the_aggregate_and_the_dashboard_changes_add_up_to_one_order_in_its_final_status() {
        qt().withExamples(300).forAll(commands()).checkAssert(commands -> {
            OrderState state = DECIDER.initialState();
            @Nullable OrderView view = null;
            SortedMap<String, BigInteger> dashboard = new TreeMap<>();
            long version = 0;
            for (String command : commands) {
                List<OrderEvent> events;
                try {
                    events = DECIDER.decide(command(command, state), state, new DecisionContext(ORDER, AT, UUID::randomUUID));
                } catch (DomainRuleViolationException refused) {
                    continue;
                }
                for (OrderEvent event : events) {
                    state = DECIDER.evolve(state, event);
                    OrderView before = view;
                    view = OrderView.PROJECTION.apply(view, ORDER, ++version, AT.plusSeconds(version), event);
                    dashboard = Tally.sum(List.of(dashboard, OrderDashboard.TALLY.change(before, view)));
                }
            }
            if (view == null) {
                assertThat(state).isInstanceOf(OrderState.NotPlaced.class);
                assertThat(dashboard).isEmpty();
                return;
            }
            OrderState.Existing order = (OrderState.Existing) state;
            assertThat(view.status()).isEqualTo(order.status());
            assertThat(view.total()).isEqualTo(order.order().total());
            assertThat(view.version()).isEqualTo(version);
            assertThat(dashboard).isEqualTo(OrderDashboard.TALLY.change(null, view));
            OrderDashboard summed = OrderDashboard.of(dashboard);
            for (OrderStatus status : OrderStatus.values()) {
                assertThat(summed.orders(status)).as("orders %s", status).isEqualTo(status == view.status() ? BigInteger.ONE : BigInteger.ZERO);
            }
            assertThat(summed.total(view.status(), "EUR")).isEqualTo(BigInteger.valueOf(view.total().minorUnits()));
        });
    }

    private static OrderCommand command(String name, OrderState state) {
        return switch (name) {
            case "place" -> new PlaceOrder("c-1", "a-1", Currency.getInstance("EUR"), List.of(new OrderLine("sku-1", 2, Money.of(150, "EUR"))));
            case "pay" -> new MarkOrderPaid(state instanceof OrderState.Existing order ? order.order().total() : Money.of(300, "EUR"));
            case "ship" -> new ShipOrder();
            default -> new CancelOrder("changed my mind");
        };
    }

    private static Gen<List<String>> commands() {
        return lists(Generate.pick(List.of("place", "pay", "ship", "cancel")), 0, 8);
    }
}
