package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An event store that delegates every call, for a decorator to override what it changes: {@link
 * dev.factline.personal.SealingEventStore} its appends, tests one call to inject a race or a failure.
 */
public class ForwardingEventStore implements EventStore {

    private final EventStore delegate;

    public ForwardingEventStore(EventStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store this one forwards to. */
    protected final EventStore delegate() {
        return delegate;
    }

    @Override
    public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
            List<InlineWrite> inline) {
        return delegate.append(streamId, expectedVersion, events, idempotency, inline);
    }

    @Override
    public List<RecordedEvent> load(StreamId streamId, long fromVersion, long toVersion) {
        return delegate.load(streamId, fromVersion, toVersion);
    }

    @Override
    public List<RecordedEvent> loadAsOf(StreamId streamId, Instant instant) {
        return delegate.loadAsOf(streamId, instant);
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyRecord(IdempotencyKey key) {
        return delegate.findIdempotencyRecord(key);
    }

    @Override
    public StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion) {
        return delegate.loadTail(streamId, stateSchemaVersion, toVersion);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public <V> Optional<V> inlineView(StreamView<?, V> model, StreamId stream) {
        return delegate.inlineView(model, stream);
    }
}
