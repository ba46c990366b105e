package dev.factline.functions.query;

import dev.factline.functions.view.CacheRepairs;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Redis as the query function uses it: reads and fills that never fail a request, and never
 * trust an entry that may be stale.
 *
 * <p><b>Repairs.</b> A projector that could not reach Redis lists the keys it moved in the read
 * table's {@code cache#repair} row ({@link CacheRepairs}), because Redis may come back still
 * holding their old views. At most once per {@code interval} per container, before its next use
 * of Redis, the gate reads that list (one consistent GetItem); while a key is listed it neither
 * reads nor fills that key in Redis, and as soon as Redis answers it repairs the list (evicts
 * the entries, then takes exactly those keys off the list). So a stale entry outlives its
 * listing by at most {@code interval} in a container that had already checked, and not at all in
 * one that checks first.
 *
 * <p><b>Failures.</b> A failed Redis call is counted and the request goes on to the table. After
 * Redis proved unreachable the gate leaves it alone until the next check is due, so an outage
 * costs each container one failed call (and its timeout) per interval, not one per request.
 */
final class RedisGate {

    private final ViewCache cache;
    private final CacheRepairs repairs;
    private final InstantSource clock;
    private final Duration interval;

    /** When the repair list is next read; null until the first use (nothing is read at start, for SnapStart). */
    private @Nullable Instant nextCheck;
    private Set<String> pending = Set.of();
    /** The list could not be read: no key is known to be fresh, so Redis is skipped until the next check. */
    private boolean pendingUnknown;
    private @Nullable Instant downUntil;

    RedisGate(ViewCache cache, CacheRepairs repairs, InstantSource clock, Duration interval) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.repairs = Objects.requireNonNull(repairs, "repairs");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the repair check interval must be positive, but was " + interval);
        }
        this.interval = interval;
    }

    /** The cached view at {@code key}; empty on a miss, when Redis is skipped for it, or when Redis failed. */
    Optional<ViewRow> get(String key, QueryTrace trace) {
        if (!usable(key, trace)) {
            return Optional.empty();
        }
        try {
            return cache.get(key);
        } catch (RuntimeException failure) {
            failed(failure, trace);
            return Optional.empty();
        }
    }

    /** Writes {@code row} to Redis (version-guarded there), unless Redis is skipped for it; a failure is only counted. */
    void fill(ViewRow row, QueryTrace trace) {
        if (!usable(row.key(), trace)) {
            return;
        }
        try {
            cache.putAll(List.of(row));
        } catch (RuntimeException failure) {
            failed(failure, trace);
        }
    }

    private boolean usable(String key, QueryTrace trace) {
        if (cache.isNone()) {
            return false;
        }
        Instant now = clock.instant();
        synchronized (this) {
            if (nextCheck == null || !now.isBefore(nextCheck)) {
                check(now, trace);
            }
            return !isDown(now) && !pendingUnknown && !pending.contains(key);
        }
    }

    /** Reads the repair list and, when Redis is not known to be down, repairs what it names. */
    private void check(Instant now, QueryTrace trace) {
        nextCheck = now.plus(interval);
        try {
            pending = repairs.pending();
            pendingUnknown = false;
        } catch (RuntimeException failure) {
            pendingUnknown = true;
            trace.cacheFailed(failure);
            return;
        }
        if (pending.isEmpty() || isDown(now)) {
            return;
        }
        try {
            repairs.repair(cache, pending);
            pending = Set.of();
        } catch (ViewCache.CacheUnavailableException unreachable) {
            downUntil = nextCheck;
            trace.cacheFailed(unreachable);
        } catch (RuntimeException failure) {
            // Evicted or not, the keys are still listed (the table refused to take them off): keep skipping them.
            trace.cacheFailed(failure);
        }
    }

    private synchronized void failed(RuntimeException failure, QueryTrace trace) {
        trace.cacheFailed(failure);
        if (failure instanceof ViewCache.CacheUnavailableException) {
            downUntil = clock.instant().plus(interval);
            // Check the list again before the next use: while Redis was away, projectors may have listed keys.
            nextCheck = downUntil;
        }
    }

    private boolean isDown(Instant now) {
        return downUntil != null && now.isBefore(downUntil);
    }
}
