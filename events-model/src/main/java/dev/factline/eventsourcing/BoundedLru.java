package dev.factline.eventsourcing;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * A map whose entries weigh at most {@code capacity} together, the least recently used dropped
 * first; each entry weighs 1 unless a weight is given (bytes, say), and a capacity of 0 holds
 * nothing. The one LRU of the project's warm containers (recent aggregate states, tallies,
 * unwrapped data keys, resolved claim-checked payloads).
 *
 * <p>One class on {@link LinkedHashMap}'s access order rather than a caching library: the callers
 * need get, put and a size bound, and a dependency such as Caffeine would add its classes to every
 * cold start for that. Its methods are synchronized: Lambda sends one request at a time, but the
 * local pipeline may run several in one JVM.
 */
public final class BoundedLru<K, V> {

    private final long capacity;
    private final ToLongFunction<? super V> weight;
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long held;

    /** At most {@code capacity} entries. */
    public BoundedLru(int capacity) {
        this(capacity, value -> 1);
    }

    /** Entries whose {@code weight} sums to at most {@code capacity}; an entry heavier than that alone is not kept. */
    public BoundedLru(long capacity, ToLongFunction<? super V> weight) {
        if (capacity < 0) {
            throw new IllegalArgumentException("an LRU's capacity is 0 or more, but was " + capacity);
        }
        this.capacity = capacity;
        this.weight = weight;
    }

    /** The value at {@code key}, which becomes the most recently used, or {@code null}. */
    public synchronized @Nullable V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        if (weight.applyAsLong(value) <= capacity) {
            replaced(entries.put(key, value), value);
        }
    }

    /** Puts {@code value}, or what {@code choose} makes of it and the value already held. */
    public synchronized void merge(K key, V value, BinaryOperator<V> choose) {
        V previous = entries.get(key);
        V merged = previous == null ? value : choose.apply(previous, value);
        if (weight.applyAsLong(merged) <= capacity) {
            replaced(entries.put(key, merged), merged);
        } else {
            remove(key);
        }
    }

    public synchronized void remove(K key) {
        V removed = entries.remove(key);
        if (removed != null) {
            held -= weight.applyAsLong(removed);
        }
    }

    /** Entries held. */
    public synchronized int size() {
        return entries.size();
    }

    private void replaced(@Nullable V previous, V value) {
        held += weight.applyAsLong(value) - (previous == null ? 0 : weight.applyAsLong(previous));
        Iterator<V> eldest = entries.values().iterator();
        while (held > capacity) {
            held -= weight.applyAsLong(eldest.next());
            eldest.remove();
        }
    }
}
