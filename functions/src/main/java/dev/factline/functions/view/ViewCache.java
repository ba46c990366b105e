package dev.factline.functions.view;

import dev.factline.functions.config.Environment;
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

    /** {@code redis://host:port} or {@code rediss://host:port} (TLS); unset, there is no cache. */
    String REDIS_URL = "REDIS_URL";
    /** How long an entry lives without being written again, in milliseconds; default {@link #DEFAULT_TIME_TO_LIVE}. */
    String VIEW_CACHE_TTL_MS = "VIEW_CACHE_TTL_MS";
    /** A last resort against an entry nothing evicts; write-through and repairs keep entries fresh. */
    Duration DEFAULT_TIME_TO_LIVE = Duration.ofHours(1);

    /**
     * The cache {@value #REDIS_URL} names, with {@code timeout} for connecting and for each answer;
     * {@link #none()} when it is unset. The client connects on first use (SnapStart-safe).
     */
    static ViewCache fromEnvironment(Environment environment, Duration timeout) {
        return environment.uri(REDIS_URL)
                .<ViewCache>map(url -> new RedisViewCache(RedisViewCache.client(url, timeout, timeout),
                        environment.millis(VIEW_CACHE_TTL_MS, DEFAULT_TIME_TO_LIVE)))
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
