package dev.factline.eventsourcing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A map of at most {@code capacity} entries, the least recently used dropped first; a capacity of
 * 0 holds nothing. The one LRU of the project's warm containers (recent aggregate states, tallies,
 * unwrapped data keys).
 *
 * <p>One class on {@link LinkedHashMap}'s access order rather than a caching library: the callers
 * need get, put and a size bound, and a dependency such as Caffeine would add its classes to every
 * cold start for that. Its methods are synchronized: Lambda sends one request at a time, but the
 * local pipeline may run several in one JVM.
 */
public final class BoundedLru<K, V> {

    private final int capacity;
    private final LinkedHashMap<K, V> entries;

    public BoundedLru(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("an LRU's capacity is 0 or more, but was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedLru.this.capacity;
            }
        };
    }

    /** The value at {@code key}, which becomes the most recently used, or {@code null}. */
    public synchronized @Nullable V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        if (capacity > 0) {
            entries.put(key, value);
        }
    }

    /** Puts {@code value}, or what {@code choose} makes of it and the value already held. */
    public synchronized void merge(K key, V value, BinaryOperator<V> choose) {
        if (capacity > 0) {
            entries.merge(key, value, choose);
        }
    }

    public synchronized void remove(K key) {
        entries.remove(key);
    }

    /** Entries held. */
    public synchronized int size() {
        return entries.size();
    }
}
