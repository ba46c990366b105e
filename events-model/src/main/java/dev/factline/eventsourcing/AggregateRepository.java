package dev.factline.eventsourcing;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Loads aggregates from an {@link EventStore}: the latest state from a usable snapshot plus the
 * events after it, or the state at a past version or instant (temporal queries).
 */
public final class AggregateRepository<C, E, S> {

    private static final System.Logger LOG = System.getLogger(AggregateRepository.class.getName());

    private final AggregateType<C, E, S> type;
    private final EventStore store;

    public AggregateRepository(AggregateType<C, E, S> type, EventStore store) {
        this.type = type;
        this.store = store;
    }

    public AggregateType<C, E, S> type() {
        return type;
    }

    /** The current state: the latest usable snapshot plus the events after it. */
    public LoadedAggregate<S> load(StreamId streamId) {
        return loadUpTo(streamId, Long.MAX_VALUE);
    }

    /** The state right after {@code version}; a snapshot is used when it is not past that version. */
    public LoadedAggregate<S> loadAtVersion(StreamId streamId, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, but was " + version);
        }
        return loadUpTo(streamId, version);
    }

    /** The state as it stood at {@code instant}, replayed from the first event. */
    public LoadedAggregate<S> loadAsOf(StreamId streamId, Instant instant) {
        type.requireOwnStream(streamId);
        return fold(streamId, type.decider().initialState(), 0, store.loadAsOf(streamId, instant));
    }

    private LoadedAggregate<S> loadUpTo(StreamId streamId, long version) {
        type.requireOwnStream(streamId);
        Optional<LoadedAggregate<S>> fromSnapshot = usableSnapshot(streamId, version);
        S start = fromSnapshot.map(LoadedAggregate::state).orElseGet(() -> type.decider().initialState());
        long snapshotVersion = fromSnapshot.map(LoadedAggregate::version).orElse(0L);
        if (snapshotVersion == version) {
            return new LoadedAggregate<>(streamId, start, version, snapshotVersion, 0);
        }
        return fold(streamId, start, snapshotVersion, store.load(streamId, snapshotVersion + 1, version));
    }

    private Optional<LoadedAggregate<S>> usableSnapshot(StreamId streamId, long atMostVersion) {
        Optional<Snapshot> stored = store.loadSnapshot(streamId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = stored.get();
        StateCodec<S> codec = type.state();
        if (snapshot.schemaVersion() != codec.schemaVersion() || snapshot.version() > atMostVersion) {
            return Optional.empty();
        }
        try {
            S state = codec.decode(snapshot.state());
            return Optional.of(new LoadedAggregate<>(streamId, state, snapshot.version(), snapshot.version(), 0));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring the snapshot of {0} at version {1}: {2}", streamId, snapshot.version(), e.getMessage());
            return Optional.empty();
        }
    }

    private LoadedAggregate<S> fold(StreamId streamId, S start, long startVersion, List<RecordedEvent> events) {
        S state = start;
        long version = startVersion;
        for (RecordedEvent event : events) {
            if (event.version() != version + 1) {
                throw new IllegalStateException(streamId + " has a gap: expected version " + (version + 1) + " but read " + event.version());
            }
            state = type.decider().evolve(state, type.events().decode(event));
            version = event.version();
        }
        return new LoadedAggregate<>(streamId, state, version, startVersion, events.size());
    }
}
