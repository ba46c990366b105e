package dev.factline.eventsourcing;

/** An event encoded by an {@link EventCodec}: its type name, the schema version written, the JSON. */
public record SerializedEvent(String type, int schemaVersion, String payload) {
}
