package dev.factline.eventsourcing;

import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * What this process last wrote, per stream, least recently used first out: an aggregate's state,
 * or its inline views. An entry here is a guess about the stream, never the truth: another writer
 * may have moved it on, which the next conditional append detects.
 */
final class RecentStates<T> {

    private final ToLongFunction<T> version;
    private final BoundedLru<StreamId, T> entries;

    RecentStates(int capacity, ToLongFunction<T> version) {
        this.version = version;
        this.entries = new BoundedLru<>(capacity);
    }

    @Nullable T get(StreamId streamId) {
        return entries.get(streamId);
    }

    /** Remembers {@code entry} of {@code streamId} unless a later version of the stream is already remembered. */
    void remember(StreamId streamId, T entry) {
        entries.merge(streamId, entry, (known, offered) -> version.applyAsLong(offered) >= version.applyAsLong(known) ? offered : known);
    }

    void forget(StreamId streamId) {
        entries.remove(streamId);
    }
}
