package dev.factline.eventsourcing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/** How long to wait before another attempt after writers collided on a stream. */
@FunctionalInterface
public interface RetryBackoff {

    /** Pauses before attempt {@code failedAttempts + 1}. */
    void pause(int failedAttempts);

    static RetryBackoff none() {
        return failedAttempts -> { };
    }

    /**
     * "Full jitter": a random pause between zero and a ceiling that doubles from {@code base} per
     * failed attempt up to {@code cap}, so writers that collided once spread out instead of
     * colliding again in step.
     */
    record FullJitter(Duration base, Duration cap) implements RetryBackoff {

        public FullJitter {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(cap, "cap");
            if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("full jitter needs 0 < base <= cap, but got base " + base + " and cap " + cap);
            }
        }

        /** The longest pause after {@code failedAttempts}: base * 2^(failedAttempts - 1), at most the cap. */
        public Duration ceiling(int failedAttempts) {
            int doublings = Math.clamp(failedAttempts - 1, 0, 30);
            long nanos = base.toNanos();
            return nanos > (cap.toNanos() >> doublings) ? cap : Duration.ofNanos(nanos << doublings);
        }

        /**
         * A fresh {@link SecureRandom} per pause (conflicts are rare): seeded after a SnapStart
         * restore, so containers restored from one snapshot do not back off in step, which a
         * random generator seeded before the snapshot could make them do.
         */
        @Override
        public void pause(int failedAttempts) {
            long pause = new SecureRandom().nextLong(ceiling(failedAttempts).toNanos() + 1);
            try {
                Thread.sleep(Duration.ofNanos(pause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while backing off from a version conflict", e);
            }
        }
    }
}
