package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An encoded event on its way into a stream: everything but the version, which the store
 * assigns at append time (expected version + position in the batch).
 */
public record NewEvent(
        UUID eventId, String type, int schemaVersion, Instant occurredAt, String payload, EventMetadata metadata) {

    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(metadata, "metadata");
        Require.schemaVersion(schemaVersion);
    }

    /** The recorded form of this event once it sits at {@code version} in {@code stream}. */
    public RecordedEvent recordedAt(StreamId stream, long version) {
        return new RecordedEvent(eventId, stream, version, type, schemaVersion, occurredAt, payload, metadata);
    }
}
