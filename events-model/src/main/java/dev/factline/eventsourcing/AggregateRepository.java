package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Loads aggregates from an {@link EventStore}: the latest state from a usable snapshot plus the
 * events after it, or the state at a past version or instant (temporal queries).
 */
public final class AggregateRepository<C, E, S> {

    private final AggregateType<C, E, S> type;
    private final EventStore store;
    private final Warnings warnings;

    /** @param warnings told of a snapshot ignored because it could not be used */
    public AggregateRepository(AggregateType<C, E, S> type, EventStore store, Warnings warnings) {
        this.type = Objects.requireNonNull(type, "type");
        this.store = Objects.requireNonNull(store, "store");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    public AggregateRepository(AggregateType<C, E, S> type, EventStore store) {
        this(type, store, Warnings.standardError());
    }

    public AggregateType<C, E, S> type() {
        return type;
    }

    /** The current state: the latest usable snapshot plus the events after it. */
    public LoadedAggregate<S> load(StreamId streamId) {
        return loadUpTo(streamId, Long.MAX_VALUE);
    }

    /**
     * The state right after {@code version}; a snapshot is used when it is not past that version.
     * A stream shorter than that loads whole: compare {@link LoadedAggregate#version()}.
     */
    public LoadedAggregate<S> loadAtVersion(StreamId streamId, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, but was " + version);
        }
        return loadUpTo(streamId, version);
    }

    /** The state as it stood at {@code instant}, replayed from the first event. */
    public LoadedAggregate<S> loadAsOf(StreamId streamId, Instant instant) {
        type.requireOwnStream(streamId);
        return fold(streamId, type.decider().initialState(), 0, store.loadAsOf(streamId, instant), Long.MAX_VALUE);
    }

    private LoadedAggregate<S> loadUpTo(StreamId streamId, long version) {
        type.requireOwnStream(streamId);
        StateCodec<S> codec = type.state();
        StreamTail tail = store.loadTail(streamId, codec.schemaVersion(), version);
        Snapshot snapshot = tail.snapshot();
        if (snapshot == null) {
            return fold(streamId, type.decider().initialState(), 0, tail.events(), version);
        }
        S fromSnapshot;
        try {
            fromSnapshot = decodeUsable(snapshot, streamId, version);
        } catch (IllegalArgumentException e) {
            warnings.warn("ignoring the snapshot of " + streamId + " at version " + snapshot.version() + ": " + e.getMessage(), null);
            return fold(streamId, type.decider().initialState(), 0, store.load(streamId, 1, version), version);
        }
        return fold(streamId, fromSnapshot, snapshot.version(), tail.events(), version);
    }

    /** The snapshot's state, if it is one this loader asked for; a store that answered wrongly costs a replay, not a wrong state. */
    private S decodeUsable(Snapshot snapshot, StreamId streamId, long upToVersion) {
        StateCodec<S> codec = type.state();
        if (!snapshot.streamId().equals(streamId) || snapshot.schemaVersion() != codec.schemaVersion() || snapshot.version() > upToVersion) {
            throw new IllegalArgumentException("the store returned a snapshot of " + snapshot.streamId() + " at version "
                    + snapshot.version() + ", schema v" + snapshot.schemaVersion() + ", which this load did not ask for");
        }
        return codec.decode(snapshot.state());
    }

    private LoadedAggregate<S> fold(StreamId streamId, S start, long startVersion, List<RecordedEvent> events, long upToVersion) {
        S state = start;
        long version = startVersion;
        for (RecordedEvent event : events) {
            if (event.version() != version + 1 || event.version() > upToVersion) {
                throw new IllegalStateException("expected version " + (version + 1) + " of " + streamId + " (up to " + upToVersion
                        + ") but the store returned " + event.version() + ": the stream has a gap or the store answered out of range");
            }
            state = type.decider().evolve(state, type.events().decode(event));
            version = event.version();
        }
        return new LoadedAggregate<>(streamId, state, version, startVersion, events.size());
    }
}
