package dev.factline.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.Tally;
import dev.factline.money.Money;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderDashboardTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void every_status_is_present_with_zeros_and_currencies_in_code_order() {
        SortedMap<String, BigInteger> counters = new TreeMap<>();
        counters.put("orders_PAID", BigInteger.valueOf(3));
        counters.put("total_PAID_USD", BigInteger.valueOf(300));
        counters.put("total_PAID_EUR", BigInteger.valueOf(1200));

        assertThat(OrderDashboard.TALLY.summaryJson(counters)).isEqualTo("{\"statuses\":{"
                + "\"PLACED\":{\"orders\":0,\"totals\":{}},"
                + "\"PAID\":{\"orders\":3,\"totals\":{\"EUR\":1200,\"USD\":300}},"
                + "\"SHIPPED\":{\"orders\":0,\"totals\":{}},"
                + "\"CANCELLED\":{\"orders\":0,\"totals\":{}}}}");
    }

    @Test
    void the_empty_dashboard_is_all_zeros() {
        assertThat(OrderDashboard.TALLY.summaryJson(new TreeMap<>())).isEqualTo("{\"statuses\":{"
                + "\"PLACED\":{\"orders\":0,\"totals\":{}},\"PAID\":{\"orders\":0,\"totals\":{}},"
                + "\"SHIPPED\":{\"orders\":0,\"totals\":{}},\"CANCELLED\":{\"orders\":0,\"totals\":{}}}}");
    }

    @Test
    void two_orders_of_two_to_the_62_minor_units_total_exactly_instead_of_overflowing() {
        long huge = 1L << 62;
        SortedMap<String, BigInteger> counted = OrderDashboard.TALLY.change(null, placed("o-1", huge));
        SortedMap<String, BigInteger> both = Tally.sum(List.of(counted, OrderDashboard.TALLY.change(null, placed("o-2", huge))));

        OrderDashboard dashboard = OrderDashboard.of(both);

        assertThat(dashboard.total(OrderStatus.PLACED, "EUR")).isEqualTo(BigInteger.TWO.pow(63));
        assertThat(OrderDashboard.TALLY.summaryJson(both)).contains("\"PLACED\":{\"orders\":2,\"totals\":{\"EUR\":9223372036854775808}}");
    }

    @Test
    void a_move_takes_the_order_out_of_its_old_status_as_it_puts_it_in_the_new() {
        OrderView placed = placed("o-1", 500);
        OrderView paid = new OrderView("o-1", "c-1", "a-1", OrderStatus.PAID, placed.lines(), placed.total(), null, null, null, 2, AT, AT);

        assertThat(OrderDashboard.TALLY.change(placed, paid)).containsExactly(
                Map.entry("orders_PAID", BigInteger.ONE),
                Map.entry("orders_PLACED", BigInteger.valueOf(-1)),
                Map.entry("total_PAID_EUR", BigInteger.valueOf(500)),
                Map.entry("total_PLACED_EUR", BigInteger.valueOf(-500)));
    }

    private static OrderView placed(String orderId, long total) {
        return new OrderView(orderId, "c-1", "a-1", OrderStatus.PLACED, List.of(new OrderLine("sku-1", 1, Money.of(total, "EUR"))),
                Money.of(total, "EUR"), null, null, null, 1, AT, AT);
    }
}
