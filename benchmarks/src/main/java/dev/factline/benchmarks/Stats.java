package dev.factline.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of small samples (runs of a benchmark, latencies of a few thousand requests). */
public final class Stats {

    private Stats() {
    }

    public static double median(Collection<Double> values) {
        return percentile(values, 50);
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or
     * below it (so p50 of an even count is the lower middle, a value that was actually measured).
     */
    public static double percentile(Collection<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], not " + p);
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
