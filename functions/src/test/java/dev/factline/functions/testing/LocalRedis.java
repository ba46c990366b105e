package dev.factline.functions.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A real redis-server for tests (6.2, started from the embedded-redis jar) on a free port of
 * 127.0.0.1, without persistence. {@link #shared()} is the one server of this JVM; {@link
 * #start()} gives one of one's own, for tests that stop it or flush it.
 */
public final class LocalRedis implements AutoCloseable {

    private static @Nullable LocalRedis shared;

    private final RedisServer server;
    private final int port;
    private final RedisClient admin;

    private LocalRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
        this.admin = RedisClient.create("127.0.0.1", port);
    }

    public static LocalRedis start() {
        int port = freePort();
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new LocalRedis(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start on port " + port, e);
        }
    }

    /** The server this JVM shares, stopped when the JVM exits; its {@link #close()} does nothing. */
    public static synchronized LocalRedis shared() {
        LocalRedis redis = shared;
        if (redis == null) {
            redis = start();
            LocalRedis stopping = redis;
            Runtime.getRuntime().addShutdownHook(new Thread(stopping::stop, "local-redis-shutdown"));
            shared = redis;
        }
        return redis;
    }

    /** {@code redis://127.0.0.1:<port>}, as {@code REDIS_URL} would give it. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** A client for looking at the server from a test; do not close it. */
    public RedisClient admin() {
        return admin;
    }

    @Override
    public void close() {
        if (this != shared) {
            stop();
        }
    }

    private void stop() {
        admin.close();
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not stop", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
