package dev.factline.functions.view;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link ViewCache} on Redis or Valkey (ElastiCache Serverless in AWS). An entry is a hash at
 * {@code factline:view:<row key>} with the view's {@code version}, its {@code view} JSON and the
 * cache {@code generation} it was written at, and a time to live as a last resort against an
 * entry that nothing replaces.
 *
 * <p>The version guard runs in Redis as one Lua script per entry (compare, then set), so it
 * holds against any number of writers without a round trip to read first; a batch's scripts go
 * in one pipeline. Only single-key commands are used, so an ElastiCache Serverless endpoint
 * (which serves every slot) works; a node-based cluster in cluster mode would need a cluster
 * client instead of this standalone one.
 *
 * <p>Timeouts are short: an unreachable Redis must cost a batch or a query a fraction of a
 * second, not its whole budget, because the read table answers without it.
 */
public final class RedisViewCache implements ViewCache, AutoCloseable {

    static final String KEY_PREFIX = "factline:view:";
    private static final String VERSION_FIELD = "version";
    private static final String VIEW_FIELD = "view";
    private static final String GENERATION_FIELD = "generation";
    // KEYS[1] entry; ARGV[1] version, ARGV[2] view JSON, ARGV[3] generation, ARGV[4] time to live in ms.
    // A newer version always wins, whatever its label; the same version only relabels it newer.
    private static final String PUT_IF_NEWER = """
            local cached = redis.call('HMGET', KEYS[1], 'version', 'generation')
            if cached[1] then
              local version, generation = tonumber(cached[1]), tonumber(cached[2] or '0')
              local newVersion, newGeneration = tonumber(ARGV[1]), tonumber(ARGV[3])
              if version > newVersion or (version == newVersion and generation >= newGeneration) then return 0 end
            end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'view', ARGV[2], 'generation', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """;

    private final RedisClient redis;
    private final Duration timeToLive;

    public RedisViewCache(RedisClient redis, Duration timeToLive) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("the cache's time to live must be positive, but was " + timeToLive);
        }
        this.timeToLive = timeToLive;
    }

    /**
     * A client for {@code redis://host:port} or {@code rediss://host:port} (TLS, as ElastiCache
     * Serverless requires), connecting on first use (SnapStart-safe). Its pool registers no JMX
     * bean, which would start the platform MBean server at init (some 250 classes of
     * {@code javax.management} and JFR's diagnostic commands, nothing a function reads), and a new
     * connection sends no {@code CLIENT SETINFO}, two round trips before a function's first command.
     */
    public static RedisClient client(URI url, Duration connectTimeout, Duration socketTimeout) {
        String scheme = url.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("a Redis URL looks like redis://host:6379 or rediss://host:6379, but got '" + url + "'");
        }
        int port = url.getPort() == -1 ? 6379 : url.getPort();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
                .socketTimeoutMillis(Math.toIntExact(socketTimeout.toMillis()))
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if ("rediss".equals(scheme)) {
            config.sslOptions(SslOptions.defaults());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setJmxEnabled(false);
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(url.getHost(), port))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    @Override
    public int putAll(List<ViewRow> rows, long generation) {
        if (rows.isEmpty()) {
            return 0;
        }
        String ttl = Long.toString(timeToLive.toMillis());
        return retriedOnce("write " + rows.size() + " views", () -> {
            try (AbstractPipeline pipeline = redis.pipelined()) {
                List<Response<Object>> answers = new ArrayList<>(rows.size());
                for (ViewRow row : rows) {
                    answers.add(pipeline.eval(PUT_IF_NEWER, List.of(KEY_PREFIX + row.key()),
                            List.of(Long.toString(row.version()), row.json(), Long.toString(generation), ttl)));
                }
                pipeline.sync();
                int changed = 0;
                for (Response<Object> answer : answers) {
                    if (Long.valueOf(1).equals(answer.get())) {
                        changed++;
                    }
                }
                return changed;
            }
        });
    }

    @Override
    public Optional<CachedView> get(String key) {
        List<@Nullable String> fields = retriedOnce("read " + key,
                () -> redis.hmget(KEY_PREFIX + key, VERSION_FIELD, VIEW_FIELD, GENERATION_FIELD));
        String version = fields.get(0);
        String json = fields.get(1);
        String generation = fields.get(2);
        if (version == null || json == null) {
            return Optional.empty();
        }
        return Optional.of(new CachedView(new ViewRow(key, Long.parseLong(version), json, null, null),
                generation == null ? 0 : Long.parseLong(generation)));
    }

    /**
     * Runs {@code call}, and once more if the connection broke: after a partition heals, the pool
     * still holds connections that died during it, and the first use of one fails although Redis
     * is back. Every call here is safe to repeat (reads, version-guarded writes, deletes).
     */
    private static <T> T retriedOnce(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisConnectionException brokenConnection) {
            try {
                return call.get();
            } catch (JedisException unreachable) {
                throw unavailable(what, unreachable);
            }
        } catch (JedisException failed) {
            throw unavailable(what, failed);
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    private static CacheUnavailableException unavailable(String what, JedisException cause) {
        return new CacheUnavailableException("Redis could not " + what + ": " + cause.getMessage(), cause);
    }
}
