package dev.factline.eventsourcing;

/**
 * An atomic write cancelled because another one held an item it touches at that moment (on
 * DynamoDB, a transaction's {@code TransactionConflict}: two streams racing for one unique value,
 * say). The stream did not move; nothing was written, and the same write may well succeed again.
 */
public final class WriteContendedException extends RuntimeException {

    private final StreamId streamId;

    public WriteContendedException(StreamId streamId, String message) {
        super(message);
        this.streamId = streamId;
    }

    public StreamId streamId() {
        return streamId;
    }
}
