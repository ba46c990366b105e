package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventStore} in one JVM's memory, for tests and for trying a domain out. It passes the
 * contract suite every store passes. Thread-safe: appends are serialized by one lock,
 * which is all the concurrency a test needs.
 */
public final class InMemoryEventStore implements EventStore {

    private final Map<StreamId, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<IdempotencyKey, IdempotencyRecord> idempotencyRecords = new HashMap<>();
    private final Map<StreamId, NavigableMap<Long, Snapshot>> snapshots = new HashMap<>();
    /** Inline views as JSON by row key, as a table would hold them. */
    private final Map<String, String> inlineRows = new HashMap<>();
    private final Map<String, StreamId> claims = new HashMap<>();

    @Override
    public synchronized AppendResult append(
            StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency, List<InlineWrite> inline) {
        EventStore.requireValidAppend(streamId, expectedVersion, events, idempotency);
        EventStore.requireValidInline(streamId, events, inline);
        if (idempotency != null) {
            IdempotencyRecord existing = idempotencyRecords.get(idempotency.key());
            if (existing != null) {
                if (!existing.isRepeatOf(idempotency, streamId)) {
                    throw new IdempotencyKeyReusedException(idempotency.key(), existing.commit());
                }
                Commit original = existing.commit();
                return new AppendResult.AlreadyCommitted(original,
                        load(original.streamId(), original.previousVersion() + 1, original.streamVersion()));
            }
        }
        List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
        if (stream.size() != expectedVersion) {
            throw new VersionConflictException(streamId, expectedVersion, stream.size());
        }
        for (InlineWrite write : inline) {
            if (write instanceof InlineWrite.Claim claim && !claims.getOrDefault(claim.key(), streamId).equals(streamId)) {
                throw new UniqueValueTakenException(claim);
            }
        }
        List<RecordedEvent> recorded = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            recorded.add(events.get(i).recordedAt(streamId, expectedVersion + 1 + i));
        }
        List<RecordedEvent> grown = new ArrayList<>(stream);
        grown.addAll(recorded);
        streams.put(streamId, grown);
        Commit commit = new Commit(streamId, expectedVersion, events.size());
        if (idempotency != null) {
            idempotencyRecords.put(idempotency.key(), new IdempotencyRecord(idempotency.key(), idempotency.fingerprint(), commit));
        }
        for (InlineWrite write : inline) {
            switch (write) {
                case InlineWrite.View<?> view -> inlineRows.put(view.rowKey(), view.json());
                case InlineWrite.Claim claim -> claims.put(claim.key(), streamId);
            }
        }
        return new AppendResult.Appended(commit, recorded);
    }

    @Override
    public synchronized <V> Optional<V> inlineView(StreamView<?, V> model, StreamId stream) {
        String json = inlineRows.get(model.rowKey(stream));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(model.fromJson(json));
        } catch (IllegalStateException anotherShape) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized List<RecordedEvent> load(StreamId streamId, long fromVersion, long toVersion) {
        List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
        int from = (int) Math.max(0, Math.min(fromVersion - 1, stream.size()));
        int to = (int) Math.max(from, Math.min(toVersion, stream.size()));
        return List.copyOf(stream.subList(from, to));
    }

    @Override
    public synchronized List<RecordedEvent> loadAsOf(StreamId streamId, Instant instant) {
        List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
        int end = 0;
        while (end < stream.size() && !stream.get(end).occurredAt().isAfter(instant)) {
            end++;
        }
        return List.copyOf(stream.subList(0, end));
    }

    @Override
    public synchronized Optional<IdempotencyRecord> findIdempotencyRecord(IdempotencyKey key) {
        return Optional.ofNullable(idempotencyRecords.get(key));
    }

    @Override
    public synchronized StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion) {
        Snapshot usable = snapshots.getOrDefault(streamId, Collections.emptyNavigableMap())
                .headMap(toVersion, true)
                .descendingMap()
                .values()
                .stream()
                .filter(snapshot -> snapshot.schemaVersion() == stateSchemaVersion)
                .findFirst()
                .orElse(null);
        long after = usable == null ? 0 : usable.version();
        return new StreamTail(usable, load(streamId, after + 1, toVersion));
    }

    @Override
    public synchronized void saveSnapshot(Snapshot snapshot) {
        snapshots.computeIfAbsent(snapshot.streamId(), stream -> new TreeMap<>()).put(snapshot.version(), snapshot);
    }
}
