package dev.factline.eventsourcing;

import java.util.List;

/** The answer to {@link EventStore#append}: either the events were written, or the key was already used. */
public sealed interface AppendResult {

    Commit commit();

    /** The events now sit at versions {@code previousVersion + 1 ..} of the stream. */
    record Appended(Commit commit, List<RecordedEvent> events) implements AppendResult {

        public Appended {
            events = List.copyOf(events);
        }
    }

    /**
     * The idempotency key was already used by the same request; nothing was written.
     *
     * @param events the original commit's events, as the store found them while resolving the key
     */
    record AlreadyCommitted(Commit commit, List<RecordedEvent> events) implements AppendResult {

        public AlreadyCommitted {
            events = List.copyOf(events);
        }
    }
}
