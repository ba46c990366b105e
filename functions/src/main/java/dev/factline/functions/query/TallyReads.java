package dev.factline.functions.query;

import dev.factline.eventsourcing.Tally;
import dev.factline.functions.http.EntityTags;
import java.util.Objects;
import java.util.Optional;

/**
 * A tally's route ({@code GET /dashboard}): its counters summed from the read table's shard rows
 * (one BatchGetItem), answered as the tally's summary, and kept in the container's LRU only
 * ({@value QueryFunction#TALLY_LRU_TTL_MS}): it has no version of its own to guard a Redis entry
 * with, and a tally a second old is what a dashboard is. Its {@code ETag} is weak, derived from its content.
 */
final class TallyReads {

    private final ServedReadModels served;
    private final TimedLru<String, Representation> recent;
    private final ViewTable table;

    TallyReads(ServedReadModels served, TimedLru<String, Representation> recent, ViewTable table) {
        this.served = Objects.requireNonNull(served, "served");
        this.recent = Objects.requireNonNull(recent, "recent");
        this.table = Objects.requireNonNull(table, "table");
    }

    QueryRoute route(Tally<?> declared) {
        return input -> {
            QueryParameters.of(input.query());
            Tally<?> tally = served.tally(declared);
            return new Query(tally.space(), trace -> read(tally, trace));
        };
    }

    private Representation read(Tally<?> tally, QueryTrace trace) {
        Optional<Representation> cached = recent.get(tally.space());
        if (cached.isPresent()) {
            trace.lruHit();
            return cached.get();
        }
        String json = tally.summaryJson(table.counters(tally));
        trace.tableRead();
        Representation summary = new Representation(json, EntityTags.weakOf(json), null);
        recent.put(tally.space(), summary);
        return summary;
    }
}
