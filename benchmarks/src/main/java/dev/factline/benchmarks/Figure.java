package dev.factline.benchmarks;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One measured figure: its section, name, value (the median of its runs, or a percentile of its
 * samples), unit, every run's or sample's value, how it was measured, and the limit it is compared
 * with (none for figures that only describe).
 */
public record Figure(String section, String name, double value, String unit, List<Double> runs, String method,
        @Nullable Limit limit) {

    public Figure {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(method, "method");
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(name + ": a figure needs at least one run");
        }
    }

    /** The median of {@code runs} as the figure. */
    public static Figure median(String section, String name, String unit, List<Double> runs, String method,
            @Nullable Limit limit) {
        return new Figure(section, name, Stats.median(runs), unit, runs, method, limit);
    }

    /** How this figure stands against its limit (see {@link Limit#attainment}); NaN without one. */
    public double attainment() {
        return limit == null ? Double.NaN : limit.attainment(value);
    }
}
