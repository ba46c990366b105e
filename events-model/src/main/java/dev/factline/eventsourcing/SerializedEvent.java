package dev.factline.eventsourcing;

import java.util.Objects;

/** An event encoded by an {@link EventCodec}: its type name, the schema version written, the JSON. */
public record SerializedEvent(String type, int schemaVersion, String payload) {

    public SerializedEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Require.schemaVersion(schemaVersion);
    }
}
