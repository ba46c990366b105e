package dev.factline.eventsourcing;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An append that expected a stream at one version and found it at another: another writer got
 * there first, or the caller pinned a version that has moved on. Nothing was written.
 *
 * <p>A store may learn the stream's head only when asked ({@link #actualVersion()}): a writer that
 * retries reloads the stream anyway, so a read for the head would be wasted on it.
 */
public final class VersionConflictException extends RuntimeException {

    private final StreamId streamId;
    private final long expectedVersion;
    private final LongSupplier head;
    private long actualVersion = -1;

    public VersionConflictException(StreamId streamId, long expectedVersion, long actualVersion) {
        this(streamId, expectedVersion, () -> actualVersion);
    }

    /** @param head reads the stream's current version, at most once, when {@link #actualVersion()} is first asked */
    public VersionConflictException(StreamId streamId, long expectedVersion, LongSupplier head) {
        super("version conflict on " + streamId + ": expected version " + expectedVersion + ", but another writer had committed after it");
        this.streamId = streamId;
        this.expectedVersion = expectedVersion;
        this.head = Objects.requireNonNull(head, "head");
    }

    public StreamId streamId() {
        return streamId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    /** The stream's version when the conflict was reported, read from the store on first call where the store gave a reader. */
    public synchronized long actualVersion() {
        if (actualVersion < 0) {
            actualVersion = head.getAsLong();
        }
        return actualVersion;
    }
}
