package dev.factline.benchmarks.load;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured after its warm-up: per operation, the latencies of the answers that
 * had the expected status (in an HdrHistogram, microseconds), and the count of every other answer
 * by status ({@code 0} = no answer: a connection error or a timeout).
 */
public final class LoadResult {

    static final long HIGHEST_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    /** A latency histogram in microseconds, up to {@link #HIGHEST_MICROS}, three significant digits. */
    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    private final Map<Operation, Histogram> latencies = new EnumMap<>(Operation.class);
    private final Map<Operation, Map<Integer, Long>> failures = new EnumMap<>(Operation.class);
    private final Duration measured;

    LoadResult(Duration measured) {
        this.measured = measured;
    }

    /** Adds one worker's figures (workers keep their own, merged once at the end). */
    synchronized void add(Map<Operation, Histogram> workerLatencies, Map<Operation, Map<Integer, Long>> workerFailures) {
        workerLatencies.forEach((operation, histogram) -> latencies.computeIfAbsent(operation, key -> newHistogram()).add(histogram));
        workerFailures.forEach((operation, byStatus) -> byStatus.forEach((status, count) ->
                failures.computeIfAbsent(operation, key -> new TreeMap<>()).merge(status, count, Long::sum)));
    }

    /** The latencies of {@code operation}, empty if it had no successful answer; reading adds no row to the table. */
    private Histogram latenciesOf(Operation operation) {
        Histogram histogram = latencies.get(operation);
        return histogram != null ? histogram : newHistogram();
    }

    /** Successful answers of {@code operation} per second. */
    public synchronized double throughput(Operation operation) {
        return latenciesOf(operation).getTotalCount() / seconds();
    }

    /** Successful answers of every operation per second. */
    public synchronized double throughput() {
        return latencies.values().stream().mapToLong(Histogram::getTotalCount).sum() / seconds();
    }

    /** The {@code percentile} latency of the successful answers of {@code operation}, in milliseconds. */
    public synchronized double latencyMillis(Operation operation, double percentile) {
        return latenciesOf(operation).getValueAtPercentile(percentile) / 1000.0;
    }

    public synchronized long successes(Operation operation) {
        return latenciesOf(operation).getTotalCount();
    }

    public synchronized long failures() {
        return failures.values().stream().flatMap(byStatus -> byStatus.values().stream()).mapToLong(Long::longValue).sum();
    }

    private double seconds() {
        return measured.toNanos() / 1e9;
    }

    /** A table: per operation, requests, rate, p50/p90/p99/max and failures by status. */
    public synchronized String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-8s %9s %9s %8s %8s %8s %8s  %s%n",
                "op", "ok", "ok/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failures (status=count)"));
        Histogram all = newHistogram();
        for (Operation operation : Operation.values()) {
            if (!latencies.containsKey(operation) && !failures.containsKey(operation)) {
                continue;
            }
            Histogram histogram = latenciesOf(operation);
            all.add(histogram);
            out.append(row(operation.label(), histogram, failures.getOrDefault(operation, Map.of()).toString()));
        }
        out.append(row("all", all, String.valueOf(failures())));
        return out.toString();
    }

    private String row(String label, Histogram histogram, String failed) {
        return String.format(Locale.ROOT, "%-8s %9d %9.1f %8.2f %8.2f %8.2f %8.2f  %s%n", label, histogram.getTotalCount(),
                histogram.getTotalCount() / seconds(), histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(90) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getMaxValue() / 1000.0, failed);
    }
}
