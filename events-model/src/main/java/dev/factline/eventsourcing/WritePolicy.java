package dev.factline.eventsourcing;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CommandHandler} writes: when to snapshot, how often to try when writers collide
 * and how to wait between tries, and how many recently written streams to remember so a warm
 * container appends without reading first (0 turns that off).
 */
public record WritePolicy(SnapshotPolicy snapshots, int maxAttempts, RetryBackoff backoff, int recentStreams) {

    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final int DEFAULT_RECENT_STREAMS = 1_000;

    public WritePolicy {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        if (recentStreams < 0) {
            throw new IllegalArgumentException("recentStreams must be 0 or more, but was " + recentStreams);
        }
    }

    /** Snapshots every 100 events, 4 attempts with 5-100 ms of jittered backoff, 1,000 recent streams. */
    public static WritePolicy defaults() {
        return new WritePolicy(
                SnapshotPolicy.every(SnapshotPolicy.DEFAULT_EVERY),
                DEFAULT_MAX_ATTEMPTS,
                new RetryBackoff.FullJitter(Duration.ofMillis(5), Duration.ofMillis(100)),
                DEFAULT_RECENT_STREAMS);
    }

    public WritePolicy withSnapshots(SnapshotPolicy value) {
        return new WritePolicy(value, maxAttempts, backoff, recentStreams);
    }

    public WritePolicy withMaxAttempts(int value) {
        return new WritePolicy(snapshots, value, backoff, recentStreams);
    }

    public WritePolicy withBackoff(RetryBackoff value) {
        return new WritePolicy(snapshots, maxAttempts, value, recentStreams);
    }

    public WritePolicy withRecentStreams(int value) {
        return new WritePolicy(snapshots, maxAttempts, backoff, value);
    }
}
