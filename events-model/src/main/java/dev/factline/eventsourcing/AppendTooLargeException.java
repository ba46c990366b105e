package dev.factline.eventsourcing;

/**
 * An append a store refuses for its size before writing anything: an event payload over the
 * configured limit, or a commit too large for one atomic write. Events are small facts; large
 * content belongs in object storage, with the event holding a reference.
 */
public final class AppendTooLargeException extends RuntimeException {

    private final StreamId streamId;
    private final long size;
    private final long limit;

    public AppendTooLargeException(StreamId streamId, String what, long size, long limit) {
        super(what + " for " + streamId + " is " + size + " bytes, over the limit of " + limit + " bytes");
        this.streamId = streamId;
        this.size = size;
        this.limit = limit;
    }

    public StreamId streamId() {
        return streamId;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
