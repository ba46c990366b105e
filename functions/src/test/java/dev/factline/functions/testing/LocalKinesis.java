package dev.factline.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A Kinesis-compatible server for tests: kinesalite (the npm package, MIT) in memory, in a Node
 * child process on a free port of 127.0.0.1, reached by the real AWS SDK over real HTTP.
 *
 * <p>{@link #start()} gives a server of one's own, stopped by {@link #close()}; {@link #shared()}
 * gives the one server of this JVM, for test classes that use streams of their own names. The
 * server lives in {@code tools/kinesalite-server.js}, which lets the OS pick the port (so there
 * is no race for a free one), prints it, and exits when this JVM dies without closing it (its
 * stdin closes). Starting takes a few hundred milliseconds. Needs Node 18+ on the {@code PATH} and
 * {@code node_modules/kinesalite} in the repository root (the {@code functions} build runs
 * {@code npm ci} when it is missing).
 *
 * <p><b>CBOR.</b> The SDK speaks CBOR to Kinesis unless told otherwise, and cannot read
 * kinesalite's CBOR answers. Whether a client uses CBOR is fixed when it is built, from the
 * {@code aws.cborEnabled} system property (or {@code CBOR_ENABLED} in the environment), so this
 * class sets {@code aws.cborEnabled=false} for the whole test JVM when it is loaded, before any of
 * its builders can build. That is the one switch the SDK offers; production code never sets it
 * (real Kinesis speaks CBOR), and a handler built in such a JVM runs unchanged.
 *
 * <p>What kinesalite does not do, on purpose or not: no enhanced fan-out
 * ({@code RegisterStreamConsumer}), no partial PutRecords failures (it stores every entry of a
 * valid request, or refuses the whole request), no 5 MiB request limit (it refuses bodies over
 * 7 MiB), and it checks the 1 MiB record limit on the data alone, where Kinesis counts the
 * partition key too.
 */
public final class LocalKinesis implements AutoCloseable {

    private static final String LAUNCHER = "tools/kinesalite-server.js";
    private static final String PORT_LINE = "KINESALITE_PORT=";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STREAM_ACTIVE_TIMEOUT = Duration.ofSeconds(5);
    private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    static {
        cborOff();
    }

    private static @Nullable LocalKinesis shared;

    private final Process process;
    private final URI endpoint;
    private final KinesisClient client;
    private final boolean isShared;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private LocalKinesis(Process process, int port, boolean isShared) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.isShared = isShared;
        this.client = clientBuilder().build();
    }

    /** Starts a server of its own; close it when done. */
    public static LocalKinesis start() {
        return start("node", repositoryRoot().resolve(LAUNCHER), false);
    }

    /**
     * The server this JVM shares: started on first use, stopped when the JVM exits. Its
     * {@link #close()} does nothing, so a test class cannot stop it under the others.
     */
    public static synchronized LocalKinesis shared() {
        LocalKinesis server = shared;
        if (server == null) {
            server = start("node", repositoryRoot().resolve(LAUNCHER), true);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "local-kinesis-shutdown"));
            shared = server;
        }
        return server;
    }

    /** Where the SDK reaches the server, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * A client builder set up for this server (region us-east-1, dummy credentials, the
     * URLConnection HTTP client, CBOR off), for a client with settings of its own, such as an
     * interceptor that counts calls; close what you build.
     */
    public KinesisClientBuilder clientBuilder() {
        cborOff();
        return KinesisClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /** A client for this server; do not close it. */
    public KinesisClient client() {
        return client;
    }

    /**
     * Creates a stream of {@code shards} shards and returns once it is ACTIVE. kinesalite answers
     * CreateStream at once and turns the stream ACTIVE on a timer, even at 0 ms, so a PutRecords
     * sent straight after it may find no stream.
     */
    public void createStream(String name, int shards) {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + STREAM_ACTIVE_TIMEOUT.toNanos();
        while (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("stream " + name + " is not ACTIVE after " + STREAM_ACTIVE_TIMEOUT.toMillis() + " ms");
            }
            pause(Duration.ofMillis(5));
        }
    }

    /** Whether the server process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server (nothing for the {@link #shared()} one, which stops with the JVM). */
    @Override
    public void close() {
        if (!isShared) {
            stop();
        }
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            client.close();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The SDK reads this when a Kinesis client is built; see the class comment. */
    private static void cborOff() {
        System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), "false");
    }

    /** Starts {@code node launcher 0} and waits for the port it prints. */
    static LocalKinesis start(String node, Path launcher, boolean isShared) {
        Process process;
        try {
            process = new ProcessBuilder(List.of(node, launcher.toString(), "0")).start();
        } catch (IOException e) {
            throw new IllegalStateException("Node 18+ is required for the Kinesis tests; install it or put it on"
                    + " PATH (could not run \"" + node + "\": " + e.getMessage() + ")", e);
        }
        StderrTail stderr = StderrTail.drain(process.errorReader(UTF_8));
        CompletableFuture<Integer> port = readPort(process.inputReader(UTF_8));
        try {
            LocalKinesis server = new LocalKinesis(process, port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), isShared);
            stderr.forwardToSystemErr();
            return server;
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("kinesalite (" + launcher + ") printed no " + PORT_LINE + " line within "
                    + START_TIMEOUT.toSeconds() + " s" + stderr.describe(), e);
        } catch (ExecutionException e) {
            String exit = exitCode(process);
            process.destroyForcibly();
            throw new IllegalStateException("kinesalite (" + launcher + ") stopped before it was listening" + exit
                    + stderr.describe() + "\nIs Node 18+ on the PATH and node_modules/kinesalite installed (npm ci"
                    + " in the repository root)?", e.getCause());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kinesalite", e);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The repository root: the nearest folder at or above the working directory with the launcher. */
    static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (@Nullable Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(LAUNCHER))) {
                return dir;
            }
        }
        throw new IllegalStateException("found no " + LAUNCHER + " in " + start
                + " or any folder above it; run the tests from inside the Factline repository");
    }

    /** Completes with the port from the launcher's first line; keeps draining stdout afterwards. */
    private static CompletableFuture<Integer> readPort(BufferedReader stdout) {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stdout) {
                for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                    if (!port.isDone() && line.startsWith(PORT_LINE)) {
                        port.complete(Integer.valueOf(line.substring(PORT_LINE.length()).trim()));
                    }
                }
                port.completeExceptionally(new IllegalStateException("stdout closed"));
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
        }, "kinesalite-stdout");
        reader.setDaemon(true);
        reader.start();
        return port;
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? " (exit code " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Reads the child's stderr to its end on a daemon thread (so the child never blocks on a full
     * pipe) and keeps the last few KiB for an error message; once the server is up, its lines go
     * on to {@code System.err}, so they show in test reports.
     */
    private static final class StderrTail {
        private static final int KEEP_CHARS = 8 * 1024;
        private static final String PREFIX = "[kinesalite] ";

        private final StringBuilder tail = new StringBuilder();
        private final Thread reader;
        private boolean forwarding;

        private StderrTail(BufferedReader in) {
            this.reader = new Thread(() -> {
                try (in) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        append(line);
                    }
                } catch (IOException e) {
                    append("(reading stderr failed: " + e + ")");
                }
            }, "kinesalite-stderr");
            reader.setDaemon(true);
        }

        static StderrTail drain(BufferedReader in) {
            StderrTail tail = new StderrTail(in);
            tail.reader.start();
            return tail;
        }

        synchronized void forwardToSystemErr() {
            forwarding = true;
            tail.toString().lines().forEach(line -> System.err.println(PREFIX + line));
        }

        private synchronized void append(String line) {
            if (forwarding) {
                System.err.println(PREFIX + line);
            }
            tail.append(line).append('\n');
            if (tail.length() > KEEP_CHARS) {
                tail.delete(0, tail.length() - KEEP_CHARS);
            }
        }

        String describe() {
            try {
                reader.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text;
            synchronized (this) {
                text = tail.toString().strip();
            }
            return text.isEmpty() ? "; its stderr was empty" : "; its stderr:\n" + text;
        }
    }
}
