package dev.factline.functions.publisher;

import dev.factline.eventsourcing.RetryBackoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How hard the publisher tries within one invocation: each event gets at most
 * {@code attemptsPerEvent} attempts, with {@code backoff} before a call that follows a call with a
 * refused entry; and it starts no call once less than {@code timeReserve} of the invocation is
 * left, so it answers Lambda with what it published instead of being cut off by the timeout
 * (which would make Lambda retry the whole batch).
 */
public record PublishPolicy(int attemptsPerEvent, RetryBackoff backoff, Duration timeReserve) {

    /** Throttling clears within a second or so (a shard's quota is per second): 5 attempts over about 1.5 s. */
    public static final int DEFAULT_ATTEMPTS = 5;
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(2);

    public PublishPolicy {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(timeReserve, "timeReserve");
        if (attemptsPerEvent < 1) {
            throw new IllegalArgumentException("an event needs at least one attempt, but got " + attemptsPerEvent);
        }
        if (timeReserve.isNegative()) {
            throw new IllegalArgumentException("the time reserve cannot be negative, but was " + timeReserve);
        }
    }

    /** Default attempts and a jittered backoff, keeping {@code timeReserve} for the last call and the answer. */
    public static PublishPolicy defaults(Duration timeReserve) {
        return new PublishPolicy(DEFAULT_ATTEMPTS, new RetryBackoff.FullJitter(DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP), timeReserve);
    }

    public PublishPolicy withAttempts(int attempts) {
        return new PublishPolicy(attempts, backoff, timeReserve);
    }

    public PublishPolicy withBackoff(RetryBackoff value) {
        return new PublishPolicy(attemptsPerEvent, value, timeReserve);
    }
}
