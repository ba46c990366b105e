package dev.factline.functions.view;

import dev.factline.functions.config.Environment;
import dev.factline.functions.config.FunctionSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Redis (ElastiCache) copy of view rows, written through by the projector and filled by the
 * query function on a miss. Every write is version-guarded in Redis itself: an entry is replaced
 * only by a newer version of its view (or the same version at a newer {@link CacheGeneration}),
 * so a late or repeated write never rolls it back.
 */
public interface ViewCache {

    /**
     * The cache {@code REDIS_URL} names, with entries living {@code VIEW_CACHE_TTL_MS} and
     * {@code REDIS_TIMEOUT_MS} for connecting and for each answer ({@link FunctionSettings});
     * {@link #none()} when the URL is unset. The client connects on first use (SnapStart-safe), and
     * is closed when the environment's host stops.
     */
    static ViewCache fromEnvironment(Environment environment) {
        Duration timeout = environment.get(FunctionSettings.REDIS_TIMEOUT_MS);
        Duration timeToLive = environment.get(FunctionSettings.VIEW_CACHE_TTL_MS);
        return environment.get(FunctionSettings.REDIS_URL)
                .<ViewCache>map(url -> environment.closedAtStop(new RedisViewCache(RedisViewCache.client(url, timeout, timeout), timeToLive)))
                .orElse(none());
    }

    /**
     * Writes each row, labelled with {@code generation}, unless its entry already holds a newer
     * version, or the same version at the same or a newer generation; one round trip. Returns the
     * number of entries that changed.
     *
     * @throws CacheUnavailableException if Redis cannot be reached or answers with an error
     */
    int putAll(List<ViewRow> rows, long generation);

    /**
     * The cached view at {@code key}, if there is one, trusted or not: the caller compares its
     * generation with the current one.
     *
     * @throws CacheUnavailableException if Redis cannot be reached or answers with an error
     */
    Optional<CachedView> get(String key);

    /** True when this cache stores nothing ({@link #none()}): callers skip it and its repairs. */
    default boolean isNone() {
        return false;
    }

    /** No cache: the read table serves every read (no {@code REDIS_URL} configured). */
    static ViewCache none() {
        return NoCache.INSTANCE;
    }

    /** Redis could not be used; the read table is the truth, so callers carry on without it. */
    final class CacheUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CacheUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The cache that holds nothing. */
    enum NoCache implements ViewCache {
        INSTANCE;

        @Override
        public int putAll(List<ViewRow> rows, long generation) {
            return 0;
        }

        @Override
        public Optional<CachedView> get(String key) {
            return Optional.empty();
        }

        @Override
        public boolean isNone() {
            return true;
        }
    }
}
