package dev.factline.eventsourcing;

import java.util.List;

/**
 * What a handled command did: its commit, the events it recorded, and whether this is the
 * original answer replayed for a repeated idempotency key.
 */
public record CommandResult(Commit commit, List<RecordedEvent> events, boolean replayed) {

    public CommandResult {
        events = List.copyOf(events);
    }

    public long streamVersion() {
        return commit.streamVersion();
    }
}
