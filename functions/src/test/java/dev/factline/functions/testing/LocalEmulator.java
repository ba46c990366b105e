package dev.factline.functions.testing;

import dev.factline.emulators.NodeServer;
import dev.factline.emulators.OutsideEndpoints;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;

/**
 * What {@link LocalDynamo}, {@link LocalKinesis} and {@link LocalS3} have alike: a client of their own for the
 * server, and a {@link #close()} that stops the server unless it is the one this JVM shares, which
 * stops with the JVM. The server is an emulator in a {@link NodeServer} child, or, when
 * {@link OutsideEndpoints#selected()} names them, an endpoint outside (moto, another server), which
 * is never stopped from here.
 */
abstract sealed class LocalEmulator<C extends SdkClient> implements AutoCloseable permits LocalDynamo, LocalKinesis, LocalS3 {

    private final @Nullable NodeServer server;
    private final URI endpoint;
    private final C client;
    private final boolean isShared;

    LocalEmulator(NodeServer server, boolean isShared, C client) {
        this.server = server;
        this.endpoint = server.endpoint();
        this.isShared = isShared;
        this.client = client;
    }

    /** A fixture for an endpoint outside this JVM's children. */
    LocalEmulator(URI endpoint, boolean isShared, C client) {
        this.server = null;
        this.endpoint = endpoint;
        this.isShared = isShared;
        this.client = client;
    }

    static Optional<OutsideEndpoints> outside() {
        return SelectedEndpoints.orSkip();
    }

    /** Skips the calling test, with {@code why}, when the suites run against outside endpoints: it needs this JVM's own emulator. */
    static void requireOwnEmulator(String why) {
        outside().ifPresent(endpoints -> Assumptions.abort("needs an emulator of this JVM's own (" + why + "), and the suites run against "
                + endpoints.describe()));
    }

    /** Where the SDK reaches the server, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A client for this server (region us-east-1, dummy credentials); do not close it. */
    public C client() {
        return client;
    }

    /** Whether the server process is still running (an outside endpoint is taken to be). */
    public boolean isRunning() {
        return server == null || server.isRunning();
    }

    /** Stops the server (nothing for the shared one, which stops with the JVM). */
    @Override
    public void close() {
        if (!isShared) {
            stop();
        }
    }

    /** {@code builder} set up for {@code at}: this server, or an outside endpoint of the same services. */
    <B extends AwsClientBuilder<B, T> & AwsSyncClientBuilder<B, T>, T> B configure(B builder, URI at) {
        return server != null ? server.configure(builder) : OutsideEndpoints.configure(builder, at);
    }

    /** Closes the client and stops the server, once; what the shared server's shutdown hook runs. */
    final void stop() {
        if (server != null) {
            server.stop(client::close);
        } else {
            client.close();
        }
    }
}
