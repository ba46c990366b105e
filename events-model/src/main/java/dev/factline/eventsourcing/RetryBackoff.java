package dev.factline.eventsourcing;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before another attempt after writers collided on a stream. The default is
 * "full jitter": a random pause up to an exponentially growing cap, so writers that collided
 * once spread out instead of colliding again in step.
 */
@FunctionalInterface
public interface RetryBackoff {

    /** Pauses before attempt {@code failedAttempts + 1}. */
    void pause(int failedAttempts);

    static RetryBackoff none() {
        return failedAttempts -> { };
    }

    /** A random pause in [0, min(cap, base * 2^(failedAttempts - 1))]. */
    static RetryBackoff fullJitter(Duration base, Duration cap) {
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        return failedAttempts -> {
            long ceiling = Math.min(capNanos, baseNanos << Math.min(failedAttempts - 1, 20));
            long pause = ThreadLocalRandom.current().nextLong(ceiling + 1);
            try {
                Thread.sleep(Duration.ofNanos(pause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while backing off from a version conflict", e);
            }
        };
    }
}
