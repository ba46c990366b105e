package dev.factline.eventsourcing;

import java.util.List;

/**
 * What a handled command did: its commit, the events it recorded, whether this is the original
 * answer replayed for a repeated idempotency key, and how many version conflicts it met on the
 * way (each cost a reload and another attempt; a metric worth watching per stream).
 */
public record CommandResult(Commit commit, List<RecordedEvent> events, boolean replayed, int conflicts) {

    public CommandResult {
        events = List.copyOf(events);
        if (conflicts < 0) {
            throw new IllegalArgumentException("conflicts must be 0 or more, but was " + conflicts);
        }
    }

    CommandResult(Commit commit, List<RecordedEvent> events, boolean replayed) {
        this(commit, events, replayed, 0);
    }

    CommandResult afterConflicts(int count) {
        return count == 0 ? this : new CommandResult(commit, events, replayed, count);
    }

    public long streamVersion() {
        return commit.streamVersion();
    }
}
