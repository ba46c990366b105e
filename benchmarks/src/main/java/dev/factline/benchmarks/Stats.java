package dev.factline.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of small samples (runs of a benchmark, latencies of a few thousand requests). */
public final class Stats {

    private Stats() {
    }

    /** The middle value; for an even count, the mean of the two middle values. */
    public static double median(Collection<Double> values) {
        double[] sorted = sorted(values);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or
     * below it, always a value that was measured (p99 of fewer than 100 values is their maximum).
     */
    public static double percentile(Collection<Double> values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], not " + p);
        }
        double[] sorted = sorted(values);
        // p * n / 100, not p / 100 * n: 99.9 / 100 * 1000 rounds to just above 999 and ceil picks rank 1000.
        int rank = (int) Math.ceil(p * sorted.length / 100);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double[] sorted(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
