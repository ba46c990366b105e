package dev.factline.functions.rebuild;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * A ceiling on read units per second, shared by a rebuild's segments: each page's units are paid
 * after the page (DynamoDB says what a Scan cost only once it answered), and the next page of any
 * segment waits until the units spent fit the rate. So the rate over any stretch longer than a
 * page is at most the ceiling, and a page never waits for units it has not yet cost. Zero or
 * less: no ceiling.
 */
public final class ReadRateLimit {

    /** How a limit waits; tests pass one that advances a fake clock. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final double unitsPerSecond;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private Instant nextAllowed = Instant.MIN;

    public ReadRateLimit(double unitsPerSecond, InstantSource clock, Sleeper sleeper) {
        this.unitsPerSecond = unitsPerSecond;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public static ReadRateLimit of(double unitsPerSecond) {
        return new ReadRateLimit(unitsPerSecond, InstantSource.system(), duration -> Thread.sleep(duration));
    }

    /** Waits until the units already spent fit the rate. */
    public void awaitTurn() throws InterruptedException {
        if (unitsPerSecond <= 0) {
            return;
        }
        Duration wait;
        synchronized (this) {
            wait = Duration.between(clock.instant(), nextAllowed);
        }
        if (!wait.isNegative() && !wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Records {@code units} spent: the next turn comes that much later. */
    public synchronized void spent(double units) {
        if (unitsPerSecond <= 0 || units <= 0) {
            return;
        }
        Instant now = clock.instant();
        Instant from = nextAllowed.isAfter(now) ? nextAllowed : now;
        nextAllowed = from.plusNanos((long) (units / unitsPerSecond * 1_000_000_000L));
    }
}
