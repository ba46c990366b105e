package dev.factline.functions.query;

import dev.factline.functions.config.Environment;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.view.ReadTable;
import java.time.Duration;
import java.util.Objects;

/**
 * The query function's settings.
 *
 * @param tallyTimeToLive how long a container keeps a tally's summary ({@value QueryFunction#TALLY_LRU_TTL_MS}, default
 *     1 s): the staleness it adds to a dashboard, which saves a BatchGetItem of every shard row per read. Stream views
 *     are never kept in the container, so a plain read lags the read table by no more than the projector's batch.
 * @param generationCheck how often a container reads the cache generation before using Redis
 *     ({@value QueryFunction#CACHE_GENERATION_CHECK_MS}, default 1 s)
 */
public record QuerySettings(ReadTable readTable, EventTable eventTable, Duration tallyTimeToLive, Duration generationCheck) {

    public static final Duration DEFAULT_TALLY_TIME_TO_LIVE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_GENERATION_CHECK = Duration.ofSeconds(1);

    public QuerySettings {
        Objects.requireNonNull(readTable, "readTable");
        Objects.requireNonNull(eventTable, "eventTable");
        requirePositive(tallyTimeToLive, "a tally's time to live in the LRU");
        requirePositive(generationCheck, "the cache generation check interval");
    }

    /** The defaults for these tables. */
    public static QuerySettings of(ReadTable readTable, EventTable eventTable) {
        return new QuerySettings(readTable, eventTable, DEFAULT_TALLY_TIME_TO_LIVE, DEFAULT_GENERATION_CHECK);
    }

    /** From the function's environment; a missing table name or a malformed number stops the function, naming the variable. */
    public static QuerySettings from(Environment environment) {
        return new QuerySettings(
                ReadTable.fromEnvironment(environment),
                EventTable.fromEnvironment(environment),
                environment.millis(QueryFunction.TALLY_LRU_TTL_MS, DEFAULT_TALLY_TIME_TO_LIVE),
                environment.millis(QueryFunction.CACHE_GENERATION_CHECK_MS, DEFAULT_GENERATION_CHECK));
    }

    public QuerySettings withRepairCheck(Duration interval) {
        return new QuerySettings(readTable, eventTable, tallyTimeToLive, interval);
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, but was " + duration);
        }
    }
}
