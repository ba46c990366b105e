package dev.factline.eventsourcing;

/**
 * When to snapshot: after a commit that crosses a multiple of {@code interval} events. Crossing,
 * not landing on, so a command that appends several events cannot step over the boundary.
 */
public record SnapshotPolicy(int interval) {

    public static final int DEFAULT_EVERY = 100;

    public SnapshotPolicy {
        if (interval < 0) {
            throw new IllegalArgumentException("snapshot interval must be 0 (never) or more, but was " + interval);
        }
    }

    public static SnapshotPolicy never() {
        return new SnapshotPolicy(0);
    }

    public static SnapshotPolicy every(int events) {
        return new SnapshotPolicy(events);
    }

    public boolean isDue(Commit commit) {
        return interval > 0 && commit.eventCount() > 0 && commit.previousVersion() / interval != commit.streamVersion() / interval;
    }
}
