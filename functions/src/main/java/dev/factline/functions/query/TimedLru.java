package dev.factline.functions.query;

import dev.factline.eventsourcing.BoundedLru;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BoundedLru} whose entries are gone {@code timeToLive} after they were put (reading one
 * does not extend its life).
 */
final class TimedLru<K, V> {

    private record Timed<V>(V value, Instant expiresAt) {
    }

    private final Duration timeToLive;
    private final InstantSource clock;
    private final BoundedLru<K, Timed<V>> entries;

    TimedLru(int capacity, Duration timeToLive, InstantSource clock) {
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("an LRU entry's time to live must be positive, but was " + timeToLive);
        }
        this.timeToLive = timeToLive;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new BoundedLru<>(capacity);
    }

    /** The live value at {@code key}, which becomes the most recently used; an expired one is dropped. */
    Optional<V> get(K key) {
        Timed<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /** Puts {@code value}, living {@code timeToLive} from now. */
    void put(K key, V value) {
        entries.put(key, new Timed<>(value, clock.instant().plus(timeToLive)));
    }

    /** Entries held, expired ones included until they are read or pushed out. */
    int size() {
        return entries.size();
    }
}
