package dev.factline.functions.query;

import dev.factline.functions.config.Environment;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.view.ReadTable;
import java.time.Duration;
import java.util.Objects;

/**
 * The query function's settings.
 *
 * @param lruEntries views the container keeps in memory ({@value QueryFunction#VIEW_LRU_ENTRIES}, default 10,000; 0 turns the LRU off)
 * @param lruTimeToLive how long one lives there ({@value QueryFunction#VIEW_LRU_TTL_MS}, default 1 s): the staleness a
 *     container adds to what Redis and the table already have
 * @param generationCheck how often a container reads the cache generation before using Redis
 *     ({@value QueryFunction#CACHE_GENERATION_CHECK_MS}, default 1 s)
 */
public record QuerySettings(ReadTable readTable, EventTable eventTable, int lruEntries, Duration lruTimeToLive, Duration generationCheck) {

    public static final int DEFAULT_LRU_ENTRIES = 10_000;
    public static final Duration DEFAULT_LRU_TIME_TO_LIVE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GENERATION_CHECK = Duration.ofSeconds(1);

    public QuerySettings {
        Objects.requireNonNull(readTable, "readTable");
        Objects.requireNonNull(eventTable, "eventTable");
        if (lruEntries < 0) {
            throw new IllegalArgumentException("the LRU holds 0 or more views, but was given " + lruEntries);
        }
        requirePositive(lruTimeToLive, "the LRU's time to live");
        requirePositive(generationCheck, "the cache generation check interval");
    }

    /** The defaults for these tables. */
    public static QuerySettings of(ReadTable readTable, EventTable eventTable) {
        return new QuerySettings(readTable, eventTable, DEFAULT_LRU_ENTRIES, DEFAULT_LRU_TIME_TO_LIVE, DEFAULT_GENERATION_CHECK);
    }

    /** From the function's environment; a missing table name or a malformed number stops the function, naming the variable. */
    public static QuerySettings from(Environment environment) {
        return new QuerySettings(
                ReadTable.fromEnvironment(environment),
                EventTable.fromEnvironment(environment),
                environment.nonNegativeInt(QueryFunction.VIEW_LRU_ENTRIES, DEFAULT_LRU_ENTRIES),
                environment.millis(QueryFunction.VIEW_LRU_TTL_MS, DEFAULT_LRU_TIME_TO_LIVE),
                environment.millis(QueryFunction.CACHE_GENERATION_CHECK_MS, DEFAULT_GENERATION_CHECK));
    }

    public QuerySettings withLru(int entries, Duration timeToLive) {
        return new QuerySettings(readTable, eventTable, entries, timeToLive, generationCheck);
    }

    public QuerySettings withRepairCheck(Duration interval) {
        return new QuerySettings(readTable, eventTable, lruEntries, lruTimeToLive, interval);
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, but was " + duration);
        }
    }
}
