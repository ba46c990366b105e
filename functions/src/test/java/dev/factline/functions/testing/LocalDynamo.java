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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * A DynamoDB-compatible server for tests: dynalite (the npm package, Apache-2.0) in memory, in a
 * Node child process on a free port of 127.0.0.1, reached by the real AWS SDK over real HTTP.
 *
 * <p>{@link #start()} gives a server of one's own, stopped by {@link #close()}; {@link #shared()}
 * gives the one server of this JVM, for test classes that use tables of their own names and
 * need not pay for a start each. Starting takes a few hundred milliseconds (Node's start and
 * loading dynalite).
 *
 * <p>Needs Node 18+ on the {@code PATH} and {@code node_modules/dynalite} in the repository root
 * (the {@code functions} build runs {@code npm ci} when it is missing). The server lives in
 * {@code tools/dynalite-server.js}, which also exits when this JVM dies without closing it.
 *
 * <p>dynalite has no transactions, Streams or TTL. The launcher adds DynamoDB Streams on the same
 * port ({@code tools/dynalite-streams.js}): a table created with a {@code StreamSpecification} gets a
 * stream that {@link #streamsClientBuilder()}'s client reads, one shard per stream, its records kept
 * for the server's life. It answers TransactWriteItems too ({@code tools/dynalite-transactions.js}:
 * all or nothing, isolated from every other write); TransactGetItems and TTL still need another
 * server.
 */
public final class LocalDynamo implements AutoCloseable {

    private static final String LAUNCHER = "tools/dynalite-server.js";
    private static final String PORT_LINE = "DYNALITE_PORT=";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TABLE_ACTIVE_TIMEOUT = Duration.ofSeconds(5);
    private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private static @Nullable LocalDynamo shared;

    private final Process process;
    private final URI endpoint;
    private final DynamoDbClient client;
    private final boolean isShared;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private LocalDynamo(Process process, int port, boolean isShared) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.isShared = isShared;
        this.client = clientBuilder().build();
    }

    /** Starts a server of its own; close it when done. */
    public static LocalDynamo start() {
        return start("node", repositoryRoot().resolve(LAUNCHER), false);
    }

    /**
     * The server this JVM shares: started on first use, stopped when the JVM exits. Its
     * {@link #close()} does nothing, so a test class cannot stop it under the others.
     */
    public static synchronized LocalDynamo shared() {
        LocalDynamo server = shared;
        if (server == null) {
            server = start("node", repositoryRoot().resolve(LAUNCHER), true);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "local-dynamo-shutdown"));
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
     * URLConnection HTTP client), for a client with settings of its own, such as an interceptor
     * that counts calls; close what you build.
     */
    public DynamoDbClientBuilder clientBuilder() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /**
     * A DynamoDB Streams client builder for this server, set up as {@link #clientBuilder()} is: it
     * reads the streams of the tables created here with a {@code StreamSpecification}. Close what
     * you build.
     */
    public DynamoDbStreamsClientBuilder streamsClientBuilder() {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /** A client for this server (region us-east-1, dummy credentials); do not close it. */
    public DynamoDbClient client() {
        return client;
    }

    /**
     * Creates a table and returns once it is ACTIVE. dynalite answers CreateTable with CREATING
     * and turns the table ACTIVE a moment later (a timer, even at 0 ms), so a request sent at once
     * may find no table: a PutItem right after CreateTable got ResourceNotFoundException about
     * once in 300 tries.
     */
    public void createTable(CreateTableRequest request) {
        client.createTable(request);
        long deadline = System.nanoTime() + TABLE_ACTIVE_TIMEOUT.toNanos();
        while (client.describeTable(b -> b.tableName(request.tableName())).table().tableStatus()
                != TableStatus.ACTIVE) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("table " + request.tableName() + " is not ACTIVE after "
                        + TABLE_ACTIVE_TIMEOUT.toMillis() + " ms");
            }
            pause(Duration.ofMillis(5));
        }
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

    /** Starts {@code node launcher 0} and waits for the port it prints. */
    static LocalDynamo start(String node, Path launcher, boolean isShared) {
        Process process;
        try {
            process = new ProcessBuilder(List.of(node, launcher.toString(), "0")).start();
        } catch (IOException e) {
            throw new IllegalStateException("Node 18+ is required for the DynamoDB tests; install it or put it on"
                    + " PATH (could not run \"" + node + "\": " + e.getMessage() + ")", e);
        }
        OutputTail stderr = OutputTail.drain(process.errorReader(UTF_8), "dynalite-stderr");
        CompletableFuture<Integer> port = readPort(process.inputReader(UTF_8));
        try {
            LocalDynamo server = new LocalDynamo(process,
                    port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), isShared);
            stderr.forwardToSystemErr();
            return server;
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("dynalite (" + launcher + ") printed no " + PORT_LINE + " line within "
                    + START_TIMEOUT.toSeconds() + " s" + stderr.describe(), e);
        } catch (ExecutionException e) {
            String exit = exitCode(process);
            process.destroyForcibly();
            throw new IllegalStateException("dynalite (" + launcher + ") stopped before it was listening" + exit
                    + stderr.describe() + "\nIs Node 18+ on the PATH and node_modules/dynalite installed (npm ci"
                    + " in the repository root)?", e.getCause());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting dynalite", e);
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
        daemon("dynalite-stdout", () -> {
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
        });
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

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
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
     * Reads a child's stream to its end on a daemon thread (so the child never blocks on a full
     * pipe) and keeps the last few KiB for an error message. Once the server is up, its lines
     * (dynalite reports only failures) go on to {@code System.err}, so they show in test reports;
     * before that they belong in the exception that a failed start throws.
     */
    private static final class OutputTail {
        private static final int KEEP_CHARS = 8 * 1024;
        private static final String PREFIX = "[dynalite] ";

        private final StringBuilder tail = new StringBuilder();
        private final Thread reader;
        private boolean forwarding;

        private OutputTail(BufferedReader in, String name) {
            this.reader = new Thread(() -> {
                try (in) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        append(line);
                    }
                } catch (IOException e) {
                    append("(reading stderr failed: " + e + ")");
                }
            }, name);
            reader.setDaemon(true);
        }

        static OutputTail drain(BufferedReader in, String name) {
            OutputTail tail = new OutputTail(in, name);
            tail.reader.start();
            return tail;
        }

        /** Prints what the child has written so far, and from now on each line as it comes. */
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

        /** The stream so far, for an error message; waits briefly for a child that has just exited. */
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
