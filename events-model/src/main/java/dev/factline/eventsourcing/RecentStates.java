package dev.factline.eventsourcing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The states this process last wrote, per stream, least recently used first out. A state here
 * is a guess about the stream, never the truth: another writer may have moved it on, which the
 * next conditional append detects.
 */
final class RecentStates<S> {

    private final int capacity;
    private final LinkedHashMap<StreamId, LoadedAggregate<S>> states;

    RecentStates(int capacity) {
        this.capacity = capacity;
        this.states = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<StreamId, LoadedAggregate<S>> eldest) {
                return size() > RecentStates.this.capacity;
            }
        };
    }

    synchronized @Nullable LoadedAggregate<S> get(StreamId streamId) {
        return states.get(streamId);
    }

    /** Remembers {@code state} unless a later version of the stream is already remembered. */
    synchronized void remember(LoadedAggregate<S> state) {
        if (capacity > 0) {
            states.merge(state.streamId(), state, (known, offered) -> offered.version() >= known.version() ? offered : known);
        }
    }

    synchronized void forget(StreamId streamId) {
        states.remove(streamId);
    }
}
