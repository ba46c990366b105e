package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one read model follows one aggregate's streams: a pure fold of the stream's events into a
 * view, one view per stream. The projector applies it from a view's stored state; queries replay
 * it from version 1 for read-after-write and temporal reads, so both give the same view.
 *
 * @param <E> the aggregate's events
 * @param <V> the view, an immutable record that records the stream version it reflects
 */
public interface Projection<E, V> {

    /**
     * The view once the event at {@code version} is applied; {@code current} is null before the
     * stream's first event.
     *
     * @throws IllegalStateException if the event cannot follow {@code current} (a stream whose
     *     history the view cannot explain); the projector reports the record instead of guessing
     */
    V apply(@Nullable V current, StreamId streamId, long version, Instant occurredAt, E event);

    /** The stream version a view reflects. */
    long versionOf(V view);

    /** The view after {@code events}, applied in order from {@code current}. */
    default @Nullable V replay(@Nullable V current, List<RecordedEvent> events, EventCodec<E> codec) {
        V view = current;
        for (RecordedEvent event : events) {
            view = apply(view, event.streamId(), event.version(), event.occurredAt(), codec.decode(event));
        }
        return view;
    }
}
