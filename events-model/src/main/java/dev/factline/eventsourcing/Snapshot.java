package dev.factline.eventsourcing;

import java.util.Objects;

/**
 * An aggregate's state folded up to {@code version} of its stream, encoded at the state's
 * {@code schemaVersion}. A loader uses it only when that schema version is the one it knows;
 * otherwise it replays the stream from the start. Snapshots are a cache: never the truth, never
 * seen by projectors.
 */
public record Snapshot(StreamId streamId, long version, int schemaVersion, String state) {

    public Snapshot {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(state, "state");
        if (version < 1) {
            throw new IllegalArgumentException("a snapshot covers at least version 1, but got " + version);
        }
        Require.schemaVersion(schemaVersion);
    }
}
