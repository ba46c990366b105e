package dev.factline.eventsourcing;

import java.util.Objects;

/**
 * Everything the kernel needs to host one kind of aggregate: the stream type its streams carry
 * ({@code account} in {@code account#a-42}), its decider, the codec of its events and the codec
 * of its state for snapshots.
 */
public record AggregateType<C, E, S>(String streamType, Decider<C, E, S> decider, EventCodec<E> events, StateCodec<S> state) {

    public AggregateType {
        StreamId.requireType(streamType);
        Objects.requireNonNull(decider, "decider");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(state, "state");
    }

    /** The stream of the aggregate with this id. */
    public StreamId streamId(String id) {
        return new StreamId(streamType, id);
    }

    /** Refuses a stream of another aggregate type, naming both. */
    public void requireOwnStream(StreamId streamId) {
        if (!streamId.type().equals(streamType)) {
            throw new IllegalArgumentException(streamId + " is not a " + streamType + " stream");
        }
    }
}
