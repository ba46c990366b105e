package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stream as a catalogue of its aggregate type lists it: its id, its version, its latest
 * event's type, when it began and when it last changed. {@link #catalogue} is the read model that
 * keeps one per stream, listed most recently changed first: what a person looking for a stream
 * (the explorer's search) reads, without a Scan of the event table.
 */
public record StreamEntry(String streamId, String id, long version, String lastEventType, Instant startedAt, Instant updatedAt) {

    /** The catalogue's only list: every stream of the type is in it. */
    public static final String ALL = "all";

    public StreamEntry {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastEventType, "lastEventType");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The catalogue of {@code type}'s streams, {@code <type>-streams}, listed newest change first. */
    public static <E> StreamView<E, StreamEntry> catalogue(AggregateType<?, E, ?> type) {
        EventCodec<E> codec = type.events();
        Projection<E, StreamEntry> projection = new Projection<>() {
            @Override
            public StreamEntry apply(@Nullable StreamEntry current, StreamId streamId, long version, Instant occurredAt, E event) {
                Instant started = current == null ? occurredAt : current.startedAt();
                return new StreamEntry(streamId.toString(), streamId.id(), version, codec.typeName(event), started, occurredAt);
            }

            @Override
            public long versionOf(StreamEntry view) {
                return view.version();
            }
        };
        return StreamView.of(type.streamType() + "-streams", 1, type.streamType(), codec, projection, StreamEntry.class)
                .listedBy(new Listing<>("streams", entry -> ALL, StreamEntry::recencyPosition));
    }

    /**
     * Where an entry sorts in its list, which the index reads in ascending text order: the time of
     * its last change subtracted from the largest instant, fixed-width, so the latest change comes
     * first, then the id, so two streams changed in the same nanosecond still differ.
     */
    public static String recencyPosition(StreamEntry entry) {
        Instant at = entry.updatedAt();
        return String.format("%019d.%09d#%s", Long.MAX_VALUE - at.getEpochSecond(), 999_999_999 - at.getNano(), entry.id());
    }
}
