package dev.factline.functions.query;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.view.ViewRow;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Views rebuilt from the event store, with the read model's own fold, so a rebuilt view is
 * byte for byte the view the projector writes at that version (the same projection, the same
 * JSON). The store's loads are consistent reads.
 *
 * <p>A rebuild starts from a view it is given (from Redis or the table) when that view
 * is not newer than the version asked, and reads only the events after it; otherwise it
 * replays from version 1. Any view of a stream at version v is the view at v, whoever
 * computed it and however stale it is as a current view: history does not change.
 *
 * <p>A given view that does not read back as this code's view (one stored by a build with
 * another shape of it, a field added or dropped) is not folded on: the rebuild replays from
 * version 1 instead, which costs a longer read but never an error.
 */
final class Rebuilds {

    private final EventStore events;

    Rebuilds(EventStore events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * The view at {@code version}, or at the stream's head if that comes first (the caller compares
     * the result's version with what it asked); empty when the stream has no events at all.
     *
     * @param base a view of the stream to start from, if there is one; used only when not newer than {@code version}
     */
    <E, V> Optional<ViewRow> upTo(StreamId stream, StreamView<E, V> model, @Nullable ViewRow base, long version) {
        ViewRow start = base != null && base.version() <= version ? base : null;
        if (start != null && start.version() == version) {
            return Optional.of(start);
        }
        V from = start == null ? null : readable(model, start);
        if (from == null) {
            return fold(stream, model, null, events.load(stream, 1, version));
        }
        return fold(stream, model, from, events.load(stream, start.version() + 1, version)).or(() -> Optional.of(start));
    }

    /** The view at the stream's head, read consistently; empty when the stream has no events. */
    <E, V> Optional<ViewRow> toHead(StreamId stream, StreamView<E, V> model, @Nullable ViewRow base) {
        return upTo(stream, model, base, Long.MAX_VALUE);
    }

    /**
     * The view as of {@code instant}: the longest prefix of the stream whose events occurred at or
     * before it ({@link EventStore#loadAsOf}), replayed from version 1; empty when the stream had no
     * event by then.
     *
     * <p>No stored view serves as a start here: knowing the prefix means reading it from version 1
     * anyway (an earlier event stamped later by a writer's slow clock ends the prefix there), so a
     * stored view would save no read, only the fold of events already in memory.
     */
    <E, V> Optional<ViewRow> asOf(StreamId stream, StreamView<E, V> model, Instant instant) {
        return fold(stream, model, null, events.loadAsOf(stream, instant));
    }

    /** {@code from} with {@code later} folded on (from nothing when null); empty when there is nothing to fold. */
    private static <E, V> Optional<ViewRow> fold(StreamId stream, StreamView<E, V> model, @Nullable V from, List<RecordedEvent> later) {
        if (later.isEmpty()) {
            return Optional.empty();
        }
        V view = Objects.requireNonNull(model.projection().replay(from, later, model.codec()), "a fold of events gives a view");
        return Optional.of(ViewRow.of(stream, model, view));
    }

    /** The stored view as this code's view, or null when it does not read back as one (another build's shape of it). */
    private static <V> @Nullable V readable(StreamView<?, V> model, ViewRow stored) {
        try {
            return model.fromJson(stored.json());
        } catch (IllegalStateException otherShape) {
            return null;
        }
    }
}
