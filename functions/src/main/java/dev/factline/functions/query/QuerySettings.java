package dev.factline.functions.query;

import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.view.ReadTable;
import java.time.Duration;
import java.util.Objects;

/**
 * The query function's settings.
 *
 * @param tallyTimeToLive how long a container keeps a tally's summary ({@link FunctionSettings#TALLY_LRU_TTL_MS}): the
 *     staleness it adds to a dashboard. Stream views are never kept in the container, so a plain read lags the read
 *     table by no more than the projector's batch.
 * @param generationCheck how often a container reads the cache generation before using Redis
 *     ({@link FunctionSettings#CACHE_GENERATION_CHECK_MS})
 * @param claims how histories and rebuilt views fetch claim-checked payloads ({@link FunctionSettings#PAYLOAD_BUCKET})
 */
public record QuerySettings(ReadTable readTable, EventTable eventTable, Duration tallyTimeToLive, Duration generationCheck,
        ClaimChecks claims) {

    public QuerySettings {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(readTable, "readTable");
        Objects.requireNonNull(eventTable, "eventTable");
        requirePositive(tallyTimeToLive, "a tally's time to live in the LRU");
        requirePositive(generationCheck, "the cache generation check interval");
    }

    /** The defaults for these tables. */
    public static QuerySettings of(ReadTable readTable, EventTable eventTable) {
        return new QuerySettings(readTable, eventTable, FunctionSettings.TALLY_LRU_TTL_MS.defaultValue().orElseThrow(),
                FunctionSettings.CACHE_GENERATION_CHECK_MS.defaultValue().orElseThrow(), ClaimChecks.none());
    }

    /** From the function's environment; a missing table name or a malformed number stops the function, naming the variable. */
    public static QuerySettings from(Environment environment) {
        return new QuerySettings(
                new ReadTable(environment.get(FunctionSettings.READ_TABLE)),
                new EventTable(environment.get(FunctionSettings.EVENT_TABLE)),
                environment.get(FunctionSettings.TALLY_LRU_TTL_MS),
                environment.get(FunctionSettings.CACHE_GENERATION_CHECK_MS),
                EventWriting.claimChecks(environment));
    }

    public QuerySettings withRepairCheck(Duration interval) {
        return new QuerySettings(readTable, eventTable, tallyTimeToLive, interval, claims);
    }

    public QuerySettings withClaimChecks(ClaimChecks checks) {
        return new QuerySettings(readTable, eventTable, tallyTimeToLive, generationCheck, checks);
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, but was " + duration);
        }
    }
}
