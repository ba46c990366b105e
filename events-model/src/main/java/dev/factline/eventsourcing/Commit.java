package dev.factline.eventsourcing;

import java.util.Objects;

/**
 * What one command appended: {@code eventCount} events after {@code previousVersion} of a
 * stream. This is also what an idempotency record remembers, so a repeat can answer with it.
 */
public record Commit(StreamId streamId, long previousVersion, int eventCount) {

    public Commit {
        Objects.requireNonNull(streamId, "streamId");
        if (previousVersion < 0 || eventCount < 0) {
            throw new IllegalArgumentException("a commit needs previousVersion >= 0 and eventCount >= 0, but got "
                    + previousVersion + " and " + eventCount);
        }
    }

    /** The stream's version once this commit is applied. */
    public long streamVersion() {
        return previousVersion + eventCount;
    }
}
