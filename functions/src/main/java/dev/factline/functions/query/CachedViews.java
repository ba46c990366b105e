package dev.factline.functions.query;

import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.view.ViewRow;
import java.util.Objects;
import java.util.Optional;

/**
 * Stream views cache-aside: the container's LRU, then Redis (for models it caches), then the read table. A Redis hit
 * fills the LRU; a table read fills both. The LRU never trades a newer view for an older one
 * while its entry lives, so a container that served version 5 (a rebuild, say) does not serve 4
 * from a lagging table a moment later.
 */
final class CachedViews {

    private final TimedLru<String, ViewRow> recent;
    private final RedisGate redis;
    private final ViewTable table;

    CachedViews(TimedLru<String, ViewRow> recent, RedisGate redis, ViewTable table) {
        this.recent = Objects.requireNonNull(recent, "recent");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** {@code model}'s view of {@code stream} as the read side has it now (possibly behind the event store); empty if none. */
    Optional<ViewRow> get(StreamView<?, ?> model, StreamId stream, QueryTrace trace) {
        String key = model.rowKey(stream);
        Optional<ViewRow> recentView = recent.get(key);
        if (recentView.isPresent()) {
            trace.lruHit();
            return recentView;
        }
        Optional<ViewRow> cached = model.cached() ? redis.get(key, trace) : Optional.empty();
        if (cached.isPresent()) {
            trace.redisHit();
            remember(cached.get());
            return cached;
        }
        Optional<ViewRow> stored = table.view(key);
        trace.tableRead();
        stored.ifPresent(row -> offer(model, row, trace));
        return stored;
    }

    /** A view rebuilt up to its stream's head: newer than (or as new as) anything cached, so it is cached too. */
    void offer(StreamView<?, ?> model, ViewRow head, QueryTrace trace) {
        remember(head);
        if (model.cached()) {
            redis.fill(head, trace);
        }
    }

    private void remember(ViewRow row) {
        recent.merge(row.key(), row, (live, offered) -> offered.version() >= live.version() ? offered : live);
    }
}
