package dev.factline.eventsourcing;

/**
 * An aggregate's state at {@code version} of its stream (0: the stream does not exist yet), with
 * how it was built: from the snapshot at {@code snapshotVersion} (0: none used) plus
 * {@code eventsReplayed} events.
 */
public record LoadedAggregate<S>(StreamId streamId, S state, long version, long snapshotVersion, int eventsReplayed) {
}
