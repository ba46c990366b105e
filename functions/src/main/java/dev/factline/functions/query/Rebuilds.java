package dev.factline.functions.query;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.view.ReadModel;
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
 * <p>A rebuild starts from a view it is given (from the LRU, Redis or the table) when that view
 * is not newer than the version asked, and reads only the events after it; otherwise it
 * replays from version 1. Any view of a stream at version v is the view at v, whoever
 * computed it and however stale it is as a current view: history does not change.
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
    <E, V> Optional<ViewRow> upTo(StreamId stream, ReadModel<E, V> model, @Nullable ViewRow base, long version) {
        ViewRow start = base != null && base.version() <= version ? base : null;
        if (start != null && start.version() == version) {
            return Optional.of(start);
        }
        List<RecordedEvent> later = events.load(stream, start == null ? 1 : start.version() + 1, version);
        return fold(stream, model, start, later);
    }

    /** The view at the stream's head, read consistently; empty when the stream has no events. */
    <E, V> Optional<ViewRow> toHead(StreamId stream, ReadModel<E, V> model, @Nullable ViewRow base) {
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
    <E, V> Optional<ViewRow> asOf(StreamId stream, ReadModel<E, V> model, Instant instant) {
        return fold(stream, model, null, events.loadAsOf(stream, instant));
    }

    private static <E, V> Optional<ViewRow> fold(StreamId stream, ReadModel<E, V> model, @Nullable ViewRow start, List<RecordedEvent> later) {
        if (later.isEmpty()) {
            return Optional.ofNullable(start);
        }
        V from = start == null ? null : model.fromJson(start.json());
        V view = Objects.requireNonNull(model.projection().replay(from, later, model.codec()), "a fold of events gives a view");
        return Optional.of(ViewRow.of(stream, model, view));
    }
}
