package dev.factline.functions.testing;

import dev.factline.emulators.NodeServer;
import java.net.URI;
import software.amazon.awssdk.core.SdkClient;

/**
 * What {@link LocalDynamo} and {@link LocalKinesis} have alike around their {@link NodeServer}: a
 * client of their own for the server, and a {@link #close()} that stops the server unless it is
 * the one this JVM shares, which stops with the JVM.
 */
abstract sealed class LocalEmulator<C extends SdkClient> implements AutoCloseable permits LocalDynamo, LocalKinesis {

    private final NodeServer server;
    private final C client;
    private final boolean isShared;

    LocalEmulator(NodeServer server, boolean isShared, C client) {
        this.server = server;
        this.isShared = isShared;
        this.client = client;
    }

    /** Where the SDK reaches the server, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** A client for this server (region us-east-1, dummy credentials); do not close it. */
    public C client() {
        return client;
    }

    /** Whether the server process is still running. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops the server (nothing for the shared one, which stops with the JVM). */
    @Override
    public void close() {
        if (!isShared) {
            stop();
        }
    }

    NodeServer server() {
        return server;
    }

    /** Closes the client and stops the server, once; what the shared server's shutdown hook runs. */
    final void stop() {
        server.stop(client::close);
    }
}
