package dev.factline.functions.query;

import dev.factline.functions.view.CacheGeneration;
import dev.factline.functions.view.CachedView;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Redis as the query function uses it: reads and fills that never fail a request, and never
 * trust an entry that may be stale.
 *
 * <p><b>Generations.</b> A projector that could not reach Redis advances the read table's cache
 * generation ({@link CacheGeneration}), because Redis may come back still holding the views it
 * could not replace. At most once per {@code interval} per container, before its next use of
 * Redis, the gate reads the generation (one consistent GetItem of a small row); an entry written
 * at an older generation is a miss, and the fill that follows relabels it. So a stale entry
 * outlives an outage by at most {@code interval} in a container that had checked just before,
 * and not at all in one that checks first.
 *
 * <p><b>Failures.</b> A failed Redis call is counted and the request goes on to the table. After
 * Redis proved unreachable the gate leaves it alone until the next check is due, so an outage
 * costs each container one failed call (and its timeout) per interval, not one per request.
 */
final class RedisGate {

    private final ViewCache cache;
    private final CacheGeneration generations;
    private final InstantSource clock;
    private final Duration interval;

    /** When the generation is next read; null until the first use (nothing is read at start, for SnapStart). */
    private @Nullable Instant nextCheck;
    private long generation;
    /** The generation could not be read: no entry is known to be trusted, so Redis is skipped until the next check. */
    private boolean generationUnknown;
    private @Nullable Instant downUntil;

    RedisGate(ViewCache cache, CacheGeneration generations, InstantSource clock, Duration interval) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.generations = Objects.requireNonNull(generations, "generations");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the cache generation check interval must be positive, but was " + interval);
        }
        this.interval = interval;
    }

    /** The cached view at {@code key}; empty on a miss, for an untrusted entry, when Redis is skipped, or when it failed. */
    Optional<ViewRow> get(String key, QueryTrace trace) {
        OptionalLong trusted = usableGeneration(trace);
        if (trusted.isEmpty()) {
            return Optional.empty();
        }
        try {
            return cache.get(key).filter(cached -> cached.isTrustedAt(trusted.getAsLong())).map(CachedView::row);
        } catch (RuntimeException failure) {
            failed(failure, trace);
            return Optional.empty();
        }
    }

    /** Writes {@code row} to Redis at the generation known (version-guarded there), unless Redis is skipped; a failure is only counted. */
    void fill(ViewRow row, QueryTrace trace) {
        OptionalLong trusted = usableGeneration(trace);
        if (trusted.isEmpty()) {
            return;
        }
        try {
            cache.putAll(List.of(row), trusted.getAsLong());
        } catch (RuntimeException failure) {
            failed(failure, trace);
        }
    }

    /** The generation to trust and write at, checked when due; empty when Redis is to be skipped. */
    private OptionalLong usableGeneration(QueryTrace trace) {
        if (cache.isNone()) {
            return OptionalLong.empty();
        }
        Instant now = clock.instant();
        synchronized (this) {
            if (nextCheck == null || !now.isBefore(nextCheck)) {
                nextCheck = now.plus(interval);
                try {
                    generation = generations.current();
                    generationUnknown = false;
                } catch (RuntimeException failure) {
                    generationUnknown = true;
                    trace.cacheFailed(failure);
                }
            }
            return isDown(now) || generationUnknown ? OptionalLong.empty() : OptionalLong.of(generation);
        }
    }

    private synchronized void failed(RuntimeException failure, QueryTrace trace) {
        trace.cacheFailed(failure);
        if (failure instanceof ViewCache.CacheUnavailableException) {
            downUntil = clock.instant().plus(interval);
            // Read the generation again before the next use: while Redis was away, projectors may have advanced it.
            nextCheck = downUntil;
        }
    }

    private boolean isDown(Instant now) {
        return downUntil != null && now.isBefore(downUntil);
    }
}
