package dev.factline.functions.projector;

/**
 * What one batch did, for its metrics and for tests that count: records delivered, events
 * applied to views, events skipped as already applied, read-table items written and the
 * transactions that wrote them, Redis round trips and failures, records reported for retry, and
 * the age of the oldest record when the batch was done.
 */
public record BatchFigures(
        int records,
        int eventsApplied,
        int duplicatesSkipped,
        int rowsWritten,
        int transactions,
        int redisRoundTrips,
        int cacheFailures,
        int failedRecords,
        long maxLagMillis) {
}
