package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The port every event store implements; {@code EventStoreContract} (in this module's test-jar)
 * is the suite each implementation must pass unchanged.
 *
 * <p>Streams are append-only sequences of events at versions 1, 2, 3, ... with no gaps. Every
 * append is optimistic: it names the version it expects the stream to be at, and either all its
 * events are written at the following versions, atomically, or none is.
 */
public interface EventStore {

    /**
     * Appends {@code events} at versions {@code expectedVersion + 1 ..}, atomically.
     *
     * <p>With an idempotency key the store also records the key with the commit in the same
     * write. If the key is already recorded, nothing is written: the same fingerprint returns
     * {@link AppendResult.AlreadyCommitted} with the original commit (whatever the stream looks
     * like now), another fingerprint throws {@link IdempotencyKeyReusedException}. A key may
     * come with no events, to record that a command decided nothing.
     *
     * @param expectedVersion the stream's head as the caller read it (from a load, or from the
     *     caller's own last commit); 0 for a stream that must not exist yet. A store guarantees
     *     that a stream that moved past that head is refused. It need not detect a version that
     *     was never a head, past the end or inside an earlier commit (a conditional put on the
     *     next version cannot see either); loads then fail loudly on the gap or overlap.
     * @throws VersionConflictException if another writer appended at or after {@code expectedVersion + 1}
     * @throws IllegalArgumentException if there are neither events nor an idempotency key
     * @throws AppendTooLargeException if the store's size limits refuse the events; nothing is written
     */
    default AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency) {
        return append(streamId, expectedVersion, events, idempotency, List.of());
    }

    /**
     * Appends as above, with {@code inline} written in the same atomic write: the rows of inline
     * read models and the claims of unique values. The stream's condition comes first: a commit
     * that conflicts throws {@link VersionConflictException} whatever its claims.
     *
     * @throws UniqueValueTakenException if another stream holds a value claimed; nothing is written
     */
    AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
            List<InlineWrite> inline);

    /**
     * {@code model}'s view of {@code stream} as its last commit wrote it inline, read consistently;
     * empty when no commit wrote one, or when the stored view does not read back as this code's view.
     */
    <V> Optional<V> inlineView(StreamView<?, V> model, StreamId stream);

    /** The events at versions {@code fromVersion..toVersion} (both inclusive), in version order. */
    List<RecordedEvent> load(StreamId streamId, long fromVersion, long toVersion);

    /** The whole stream, in version order; empty if it does not exist. */
    default List<RecordedEvent> load(StreamId streamId) {
        return load(streamId, 1, Long.MAX_VALUE);
    }

    /**
     * The stream as it stood at {@code instant}: the longest prefix of events whose
     * {@code occurredAt} is at or before it. A prefix, not a filter, so a later event written
     * by a writer with a slow clock never opens a gap in the history.
     */
    List<RecordedEvent> loadAsOf(StreamId streamId, Instant instant);

    /** What the command that used {@code key} committed, if any command did. */
    Optional<IdempotencyRecord> findIdempotencyRecord(IdempotencyKey key);

    /**
     * Everything needed to rebuild the stream up to {@code toVersion}, in one read where the
     * store can: the newest snapshot at {@code stateSchemaVersion} that covers at most
     * {@code toVersion}, and the events after it up to {@code toVersion}. Snapshots of other
     * schema versions are passed over; with none usable, the events from version 1.
     */
    StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion);

    /**
     * Stores {@code snapshot} at its version. Snapshots at other versions stay (a loader picks
     * the newest it can use); a second save at the same version replaces the first.
     */
    void saveSnapshot(Snapshot snapshot);

    /** Checks the arguments every implementation must refuse the same way. */
    static void requireValidAppend(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expected version must be 0 or more, but was " + expectedVersion + " for " + streamId);
        }
        if (events.isEmpty() && idempotency == null) {
            throw new IllegalArgumentException("nothing to append to " + streamId + ": no events and no idempotency key");
        }
    }

    /** Checks the inline writes every implementation must refuse the same way: they come with events, and each row is of the stream. */
    static void requireValidInline(StreamId streamId, List<NewEvent> events, List<InlineWrite> inline) {
        if (!inline.isEmpty() && events.isEmpty()) {
            throw new IllegalArgumentException("inline writes come with the events that cause them, but " + streamId + " got none");
        }
        for (InlineWrite write : inline) {
            StreamId of = switch (write) {
                case InlineWrite.View<?> view -> view.stream();
                case InlineWrite.Claim claim -> claim.owner();
            };
            if (!of.equals(streamId)) {
                throw new IllegalArgumentException("an inline write of " + of + " cannot commit with " + streamId);
            }
        }
    }
}
