package dev.factline.functions.query;

import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.view.ViewRow;
import java.util.Objects;
import java.util.Optional;

/**
 * Stream views cache-aside: Redis (for models it caches), then the read table, whose read fills
 * Redis. Nothing is kept in the container: the projector writes Redis in the batch that wrote
 * the row, so a read here lags the read table by that batch's last step at most, where an
 * in-process copy would add its own time to live (issue 15: pollers saw a deposit a second late).
 */
final class CachedViews {

    private final RedisGate redis;
    private final ViewTable table;

    CachedViews(RedisGate redis, ViewTable table) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** {@code model}'s view of {@code stream} as the read side has it now (possibly behind the event store); empty if none. */
    Optional<ViewRow> get(StreamView<?, ?> model, StreamId stream, QueryTrace trace) {
        String key = model.rowKey(stream);
        Optional<ViewRow> cached = model.cached() ? redis.get(key, trace) : Optional.empty();
        if (cached.isPresent()) {
            trace.redisHit();
            return cached;
        }
        Optional<ViewRow> stored = table.view(key);
        trace.tableRead();
        stored.ifPresent(row -> offer(model, row, trace));
        return stored;
    }

    /** A view read from the table or rebuilt up to its stream's head: Redis takes it unless it holds a newer version. */
    void offer(StreamView<?, ?> model, ViewRow row, QueryTrace trace) {
        if (model.cached()) {
            redis.fill(row, trace);
        }
    }
}
