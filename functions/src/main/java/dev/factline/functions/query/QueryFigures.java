package dev.factline.functions.query;

/**
 * What one answered query did, for its metrics.
 *
 * @param status the HTTP status answered (304 included)
 * @param lruHits tally summaries found in the container's LRU (stream views are never kept there)
 * @param redisHits views found in Redis
 * @param tableReads reads of the read table (a view row, the dashboard, each Query of a customer's orders)
 * @param rebuilds views rebuilt from the event store (read-after-write, temporal reads)
 * @param cacheFailures Redis calls that failed (the answer came from the table instead)
 */
public record QueryFigures(int status, int lruHits, int redisHits, int tableReads, int rebuilds, int cacheFailures) {
}
