package dev.factline.functions.query;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded map that forgets: at most {@code capacity} entries, the least recently used one
 * dropped first, and each entry gone {@code timeToLive} after it was put (reading it does not
 * extend its life). A capacity of 0 holds nothing.
 *
 * <p>One class on {@link LinkedHashMap}'s access order rather than a caching library: the
 * function needs get, put and a size bound, and a dependency such as Caffeine would add its
 * classes to every cold start for that. Its methods are synchronized: Lambda sends one request
 * at a time, but the local pipeline may run several in one JVM.
 */
final class TimedLru<K, V> {

    private record Timed<V>(V value, Instant expiresAt) {
    }

    private final int capacity;
    private final Duration timeToLive;
    private final InstantSource clock;
    private final LinkedHashMap<K, Timed<V>> entries;

    TimedLru(int capacity, Duration timeToLive, InstantSource clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("an LRU's capacity is 0 or more, but was " + capacity);
        }
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("an LRU entry's time to live must be positive, but was " + timeToLive);
        }
        this.capacity = capacity;
        this.timeToLive = timeToLive;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Timed<V>> eldest) {
                return size() > TimedLru.this.capacity;
            }
        };
    }

    /** The live value at {@code key}, which becomes the most recently used; an expired one is dropped. */
    synchronized Optional<V> get(K key) {
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
    synchronized void put(K key, V value) {
        if (capacity > 0) {
            entries.put(key, new Timed<>(value, clock.instant().plus(timeToLive)));
        }
    }

    /** Entries held, expired ones included until they are read or pushed out. */
    synchronized int size() {
        return entries.size();
    }
}
