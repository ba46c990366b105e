package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope of an event as stored: immutable, at a 1-based, gap-free version of its stream.
 *
 * <p>The payload is the JSON the codec wrote at {@link #schemaVersion()}; readers turn it into
 * the current shape through the codec's upcaster chain, so old events are never rewritten.
 */
public record RecordedEvent(
        UUID eventId,
        StreamId streamId,
        long version,
        String type,
        int schemaVersion,
        Instant occurredAt,
        String payload,
        EventMetadata metadata) {

    public RecordedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(metadata, "metadata");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, but was " + version + " in " + streamId);
        }
        Require.schemaVersion(schemaVersion);
    }
}
