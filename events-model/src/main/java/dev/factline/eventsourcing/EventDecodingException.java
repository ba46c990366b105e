package dev.factline.eventsourcing;

import org.jspecify.annotations.Nullable;

/**
 * A stored event that cannot be turned into a domain event: an unknown type, a schema version
 * newer than this reader, or a payload that does not fit. It names the event's place, so the
 * record can be found and parked; it is never skipped silently.
 */
public final class EventDecodingException extends RuntimeException {

    private final StreamId streamId;
    private final long version;
    private final String type;
    private final int schemaVersion;

    public EventDecodingException(RecordedEvent event, String reason, @Nullable Throwable cause) {
        super(describe(event, reason), cause);
        this.streamId = event.streamId();
        this.version = event.version();
        this.type = event.type();
        this.schemaVersion = event.schemaVersion();
    }

    public StreamId streamId() {
        return streamId;
    }

    public long version() {
        return version;
    }

    public String type() {
        return type;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    private static String describe(RecordedEvent event, String reason) {
        return "cannot decode event " + event.type() + " (schema v" + event.schemaVersion() + ") at " + event.streamId()
                + " version " + event.version() + ": " + reason;
    }
}
