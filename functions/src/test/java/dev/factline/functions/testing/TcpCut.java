package dev.factline.functions.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay to a local server that a test can cut and restore: a network partition, not a
 * crash. While cut, connections are dropped and new ones closed at once, and the server keeps
 * whatever it held, so a test sees the stale data a real partition leaves behind.
 */
public final class TcpCut implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    private TcpCut(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        Thread.ofVirtual().name("tcp-cut-accept").start(this::accept);
    }

    /** A relay from a free port of 127.0.0.1 to {@code targetPort}. */
    public static TcpCut to(int targetPort) {
        try {
            return new TcpCut(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code redis://127.0.0.1:<relay port>}: where a client reaches the target through the relay. */
    public URI redisUri() {
        return URI.create("redis://127.0.0.1:" + listener.getLocalPort());
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpCut::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(listener);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> relay(client, server));
                Thread.ofVirtual().start(() -> relay(server, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException dropped) {
            // cut, or the other side closed: the relay ends with either socket
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is all that is wanted
        }
    }
}
