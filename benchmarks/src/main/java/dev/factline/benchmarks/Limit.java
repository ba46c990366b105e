package dev.factline.benchmarks;

import java.util.Objects;

/**
 * What a figure is compared with: a floor the protocol cannot go below, a goal, a budget or a
 * service limit, and which way is better. {@link #attainment(double)} puts every figure on one scale (1 = exactly at the limit,
 * below 1 = short of it), so the report can name the weakest.
 */
public record Limit(double value, Better better, String what, boolean floor) {

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
        return new Limit(value, Better.HIGHER, what, false);
    }

    /** A budget or limit the figure should stay at or under (milliseconds, megabytes, a ratio). */
    public static Limit atMost(double value, String what) {
        return new Limit(value, Better.LOWER, what, false);
    }

    /**
     * The least the code's protocol can do (calls per command, writes per event): a count can only
     * meet it or miss it, so meeting it exactly is no weakness (see {@link Report#weakest()}).
     */
    public static Limit floor(double value, String what) {
        return new Limit(value, Better.LOWER, what, true);
    }

    /**
     * figure / limit when higher is better, limit / figure when lower is; 1 or more meets the limit.
     * Infinite for a figure of 0 when lower is better: the report prints it as met, never as the weakest.
     */
    public double attainment(double figure) {
        if (better == Better.HIGHER) {
            return figure / value;
        }
        return figure <= 0 ? Double.POSITIVE_INFINITY : value / figure;
    }
}
