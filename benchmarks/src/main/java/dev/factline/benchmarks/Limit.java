package dev.factline.benchmarks;

import java.util.Objects;

/**
 * What a figure is compared with: a physical floor, a goal, or a service limit, and which way is
 * better. {@link #attainment(double)} puts every figure on one scale (1 = exactly at the limit,
 * below 1 = short of it), so the report can name the weakest.
 */
public record Limit(double value, Better better, String what) {

    public enum Better { HIGHER, LOWER }

    public Limit {
        Objects.requireNonNull(better, "better");
        Objects.requireNonNull(what, "what");
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a limit must be a positive number, not " + value);
        }
    }

    /** A goal or limit the figure should reach or exceed (throughput, a ratio). */
    public static Limit atLeast(double value, String what) {
        return new Limit(value, Better.HIGHER, what);
    }

    /**
     * A bound the figure should stay at or under: the least the code's protocol can do (calls,
     * writes per event), or a budget (milliseconds, a ratio).
     */
    public static Limit atMost(double value, String what) {
        return new Limit(value, Better.LOWER, what);
    }

    /** figure / limit when higher is better, limit / figure when lower is; 1 or more meets the limit. */
    public double attainment(double figure) {
        if (better == Better.HIGHER) {
            return figure / value;
        }
        return figure <= 0 ? Double.POSITIVE_INFINITY : value / figure;
    }
}
