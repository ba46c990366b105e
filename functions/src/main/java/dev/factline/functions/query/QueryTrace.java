package dev.factline.functions.query;

import org.jspecify.annotations.Nullable;

/**
 * What one request has done so far: where its view came from and what it cost, for its log line
 * and its metrics. One per request, used by one thread.
 */
final class QueryTrace {

    private int lruHits;
    private int redisHits;
    private int tableReads;
    private int rebuilds;
    private int cacheFailures;
    private @Nullable String source;
    private @Nullable String cacheFailure;

    void lruHit() {
        lruHits++;
        source = "lru";
    }

    void redisHit() {
        redisHits++;
        source = "redis";
    }

    void tableRead() {
        tableReads++;
        source = "table";
    }

    void rebuilt() {
        rebuilds++;
        source = "events";
    }

    void readEvents() {
        source = "events";
    }

    /** Redis failed; the request goes on without it. The last failure's message goes in the log line. */
    void cacheFailed(RuntimeException failure) {
        cacheFailures++;
        cacheFailure = failure.getMessage();
    }

    /** Where the answer came from: {@code lru}, {@code redis}, {@code table} or {@code events}; null before any read. */
    @Nullable String source() {
        return source;
    }

    @Nullable String cacheFailure() {
        return cacheFailure;
    }

    QueryFigures figures(int status) {
        return new QueryFigures(status, lruHits, redisHits, tableReads, rebuilds, cacheFailures);
    }
}
