package dev.factline.eventsourcing;

/**
 * An append that expected a stream at one version and found it at another: another writer got
 * there first, or the caller pinned a version that has moved on. Nothing was written.
 */
public final class VersionConflictException extends RuntimeException {

    private final StreamId streamId;
    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(StreamId streamId, long expectedVersion, long actualVersion) {
        super("version conflict on " + streamId + ": expected version " + expectedVersion + ", but the stream is at " + actualVersion);
        this.streamId = streamId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public StreamId streamId() {
        return streamId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
