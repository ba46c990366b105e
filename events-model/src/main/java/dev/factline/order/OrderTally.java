package dev.factline.order;

import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Orders counted per status, with their totals per status and currency: the dashboard, and the
 * change one batch of order events makes to it. Counts and totals are signed, because a change
 * takes an order out of one status as it puts it into another; a whole dashboard never goes
 * below zero.
 */
public record OrderTally(Map<OrderStatus, Long> counts, Map<OrderStatus, Map<Currency, Long>> totals) {

    public static final OrderTally EMPTY = new OrderTally(Map.of(), Map.of());

    public OrderTally {
        counts = Map.copyOf(counts);
        Map<OrderStatus, Map<Currency, Long>> copied = new EnumMap<>(OrderStatus.class);
        totals.forEach((status, byCurrency) -> copied.put(status, Map.copyOf(byCurrency)));
        totals = Map.copyOf(copied);
    }

    /** What moving one order from {@code before} (null: not yet placed) to {@code after} changes. */
    public static OrderTally between(@Nullable OrderView before, OrderView after) {
        Builder change = new Builder();
        if (before != null) {
            change.add(before.status(), -1, before.total().currency(), -before.total().minorUnits());
        }
        change.add(after.status(), 1, after.total().currency(), after.total().minorUnits());
        return change.build();
    }

    public OrderTally plus(OrderTally other) {
        Builder sum = new Builder();
        sum.addAll(this);
        sum.addAll(other);
        return sum.build();
    }

    /** True when it changes nothing: every count and total is zero. */
    public boolean isEmpty() {
        return counts.isEmpty() && totals.isEmpty();
    }

    public long count(OrderStatus status) {
        return counts.getOrDefault(status, 0L);
    }

    public long total(OrderStatus status, Currency currency) {
        return totals.getOrDefault(status, Map.of()).getOrDefault(currency, 0L);
    }

    /** Adds up counts and totals, leaving out whatever sums to zero. */
    public static final class Builder {

        private final Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        private final Map<OrderStatus, Map<Currency, Long>> totals = new EnumMap<>(OrderStatus.class);

        public Builder add(OrderStatus status, long count, Currency currency, long total) {
            return addCount(status, count).addTotal(status, currency, total);
        }

        public Builder addCount(OrderStatus status, long count) {
            counts.merge(status, count, Math::addExact);
            return this;
        }

        public Builder addTotal(OrderStatus status, Currency currency, long total) {
            totals.computeIfAbsent(status, s -> new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode)))
                    .merge(currency, total, Math::addExact);
            return this;
        }

        Builder addAll(OrderTally tally) {
            tally.counts.forEach(this::addCount);
            tally.totals.forEach((status, byCurrency) -> byCurrency.forEach((currency, total) -> addTotal(status, currency, total)));
            return this;
        }

        public OrderTally build() {
            counts.values().removeIf(count -> count == 0);
            totals.values().forEach(byCurrency -> byCurrency.values().removeIf(total -> total == 0));
            totals.values().removeIf(Map::isEmpty);
            return new OrderTally(counts, totals);
        }
    }
}
