package dev.factline.order;

import dev.factline.eventsourcing.Tally;
import java.math.BigInteger;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders counted per status, with their totals per status and currency in minor units: every
 * status present, zeros included. Totals are sums over all orders, so they may pass a long (two
 * orders of 2^62 minor units do): they are exact integers.
 *
 * <pre>
 * {"statuses": {"PLACED": {"orders": 3, "totals": {"EUR": 1200}}, "PAID": {"orders": 0, "totals": {}}, ...}}
 * </pre>
 */
public record OrderDashboard(Map<OrderStatus, Figures> statuses) {

    /** One status: how many orders stand in it, and their totals by currency code. */
    public record Figures(BigInteger orders, SortedMap<String, BigInteger> totals) {
        public Figures {
            Objects.requireNonNull(orders, "orders");
            totals = Collections.unmodifiableSortedMap(new TreeMap<>(totals));
        }
    }

    private static final Pattern COUNT = Pattern.compile("orders_([A-Z]+)");
    private static final Pattern TOTAL = Pattern.compile("total_([A-Z]+)_([A-Z]{3})");

    /** The dashboard as a tally of the order views, in 8 shards (a shard row takes the writes of its orders). */
    public static final Tally<OrderView> TALLY = new Tally<>("order-dashboard", OrderView.MODEL, OrderDashboard::contribution, OrderDashboard::of, 8);

    public OrderDashboard {
        Map<OrderStatus, Figures> copied = new EnumMap<>(OrderStatus.class);
        copied.putAll(statuses);
        statuses = Collections.unmodifiableMap(copied);
    }

    /** What one order counts: one in its status, its total in its status and currency. */
    static Map<String, Long> contribution(OrderView order) {
        return Map.of("orders_" + order.status(), 1L,
                "total_" + order.status() + "_" + order.total().currency().getCurrencyCode(), order.total().minorUnits());
    }

    /** The dashboard of the counters summed over every order. */
    public static OrderDashboard of(SortedMap<String, BigInteger> counters) {
        Map<OrderStatus, BigInteger> counts = new EnumMap<>(OrderStatus.class);
        Map<OrderStatus, SortedMap<String, BigInteger>> totals = new EnumMap<>(OrderStatus.class);
        counters.forEach((counter, amount) -> {
            Matcher count = COUNT.matcher(counter);
            Matcher total = TOTAL.matcher(counter);
            if (count.matches()) {
                counts.put(OrderStatus.valueOf(count.group(1)), amount);
            } else if (total.matches()) {
                totals.computeIfAbsent(OrderStatus.valueOf(total.group(1)), status -> new TreeMap<>()).put(total.group(2), amount);
            } else {
                throw new IllegalStateException("the order dashboard has no counter " + counter);
            }
        });
        Map<OrderStatus, Figures> statuses = new EnumMap<>(OrderStatus.class);
        for (OrderStatus status : OrderStatus.values()) {
            statuses.put(status, new Figures(counts.getOrDefault(status, BigInteger.ZERO), totals.getOrDefault(status, new TreeMap<>())));
        }
        return new OrderDashboard(statuses);
    }

    public BigInteger orders(OrderStatus status) {
        return statuses.get(status).orders();
    }

    public BigInteger total(OrderStatus status, String currencyCode) {
        return statuses.get(status).totals().getOrDefault(currencyCode, BigInteger.ZERO);
    }
}
