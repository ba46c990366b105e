package dev.factline.functions.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * An event source mapping from the event table's stream to a function, with the settings that
 * make it safe: each is what Lambda's {@code CreateEventSourceMapping} takes, and the local
 * pipeline's pollers honour the same.
 *
 * @param function the function it invokes
 * @param batchSize records per invocation at most (1-10,000)
 * @param maximumBatchingWindow how long to gather records before invoking (0-300 s)
 * @param filterPattern the one filter (Lambda's filter-criteria JSON): only records that match are delivered
 * @param bisectBatchOnError split a failing batch in two and retry each half
 * @param maximumRetryAttempts retries of a failing record before it is parked (0-10,000)
 * @param maximumRecordAge records older than this are parked unprocessed (60 s to 7 days)
 * @param parallelizationFactor concurrent batches per shard (1-10); keys stay in order either way
 */
public record StreamTrigger(
        String function,
        int batchSize,
        Duration maximumBatchingWindow,
        String filterPattern,
        boolean bisectBatchOnError,
        int maximumRetryAttempts,
        Duration maximumRecordAge,
        int parallelizationFactor) {

    /** Every trigger reports failures per record: the functions answer with the lowest failed sequence number. */
    public static final boolean REPORT_BATCH_ITEM_FAILURES = true;
    /** Every trigger starts at the oldest record the stream holds, so nothing written before it existed is missed. */
    public static final String STARTING_POSITION = "TRIM_HORIZON";

    public StreamTrigger {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(maximumBatchingWindow, "maximumBatchingWindow");
        Objects.requireNonNull(filterPattern, "filterPattern");
        Objects.requireNonNull(maximumRecordAge, "maximumRecordAge");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException(function + ": batch size is 1-10000, not " + batchSize);
        }
        if (maximumBatchingWindow.isNegative() || maximumBatchingWindow.compareTo(Duration.ofSeconds(300)) > 0) {
            throw new IllegalArgumentException(function + ": batching window is 0-300 s, not " + maximumBatchingWindow);
        }
        if (maximumRetryAttempts < 0 || maximumRetryAttempts > 10_000) {
            throw new IllegalArgumentException(function + ": retry attempts are 0-10000, not " + maximumRetryAttempts);
        }
        if (maximumRecordAge.compareTo(Duration.ofSeconds(60)) < 0 || maximumRecordAge.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(function + ": maximum record age is 60 s to 7 days, not " + maximumRecordAge);
        }
        if (parallelizationFactor < 1 || parallelizationFactor > 10) {
            throw new IllegalArgumentException(function + ": parallelization factor is 1-10, not " + parallelizationFactor);
        }
    }
}
