package dev.factline.emulators;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A local emulator in a Node child process, what the test fixtures ({@code LocalDynamo},
 * {@code LocalKinesis} in {@code functions}' tests) and the local pipeline ({@code localstack}) share:
 * the launchers ({@code tools/dynalite-server.js}, {@code tools/kinesalite-server.js})
 * speak the protocol of {@code tools/serve-child.js}. This starts {@code node launcher 0} (the OS
 * picks a free port, so there is no race for one), waits for the one line {@code NAME_PORT=n} the
 * launcher prints once it listens, drains the child's stdout and stderr so that it never blocks on
 * a full pipe, and stops it. The launcher also exits when its stdin closes, which is how a test JVM
 * that dies without stopping it still ends it.
 *
 * <p>A failed start says why in plain words: no Node, no port line in time, or a launcher that
 * stopped first, with its exit code and its stderr. Once the server is up, its stderr goes on to
 * {@code System.err} (the emulators report only failures there), so it shows in test reports.
 *
 * <p>It also holds what the two fixtures do alike around the process: the one server of a JVM
 * ({@link PerJvm}), SDK clients set up for the server ({@link #configure}), and waiting for a
 * resource the emulator turns ACTIVE on a timer ({@link #awaitActive}); the fixtures hold
 * the rest (their own client and its close).
 */
public final class NodeServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(5);
    private static final StaticCredentialsProvider DUMMY_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    /**
     * An emulator: its npm package's name ({@code dynalite}), which also names its port line
     * ({@code DYNALITE_PORT=}, as {@code tools/serve-child.js} prints it), and the AWS service it
     * stands in for, for messages.
     */
    public record Emulator(String name, String service) {

        public String portLine() {
            return name.toUpperCase(Locale.ROOT) + "_PORT=";
        }
    }

    private final Process process;
    private final URI endpoint;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private NodeServer(Process process, int port) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Starts {@code node launcher 0}, waits for the port it prints, and hands the running server
     * to {@code connect} (which builds the fixture and its clients); stops the child if that fails.
     */
    public static <T> T start(String node, Path launcher, Emulator emulator, Function<NodeServer, T> connect) {
        return start(node, launcher, Map.of(), emulator, connect);
    }

    /** As {@link #start(String, Path, Emulator, Function)}, with {@code environment} added to the child's: the launcher's settings. */
    public static <T> T start(String node, Path launcher, Map<String, String> environment, Emulator emulator, Function<NodeServer, T> connect) {
        return start(node, launcher, 0, environment, emulator, connect);
    }

    /**
     * As {@link #start(String, Path, Map, Emulator, Function)}, on {@code port} (0 = any free one):
     * a restarted server takes the port of the one before, so that its clients reconnect to it.
     */
    public static <T> T start(String node, Path launcher, int port, Map<String, String> environment, Emulator emulator,
            Function<NodeServer, T> connect) {
        Process process;
        try {
            ProcessBuilder child = new ProcessBuilder(List.of(node, launcher.toString(), Integer.toString(port)));
            child.environment().putAll(environment);
            process = child.start();
        } catch (IOException e) {
            throw new IllegalStateException("Node 18+ is required for the " + emulator.service() + " emulator (" + emulator.name() + "); install it or put it on"
                    + " PATH (could not run \"" + node + "\": " + e.getMessage() + ")", e);
        }
        StderrTail stderr = StderrTail.drain(process.errorReader(UTF_8), emulator);
        CompletableFuture<Integer> listening = readPort(process.inputReader(UTF_8), emulator);
        try {
            T connected = connect.apply(new NodeServer(process, listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)));
            stderr.forwardToSystemErr();
            return connected;
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(emulator.name() + " (" + launcher + ") printed no " + emulator.portLine() + " line within "
                    + START_TIMEOUT.toSeconds() + " s" + stderr.describe(), e);
        } catch (ExecutionException e) {
            String exit = exitCode(process);
            process.destroyForcibly();
            throw new IllegalStateException(emulator.name() + " (" + launcher + ") stopped before it was listening" + exit
                    + stderr.describe() + "\nIs Node 18+ on the PATH and node_modules/" + emulator.name() + " installed (npm ci"
                    + " in the repository root)?", e.getCause());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + emulator.name(), e);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Where the SDK reaches the server, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Completes with the child's exit code once it has exited, whether it was stopped or died. */
    public CompletableFuture<Integer> exited() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /**
     * Sets up an SDK client builder for this server: its endpoint, region us-east-1, dummy
     * credentials and the URLConnection HTTP client.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        return builder.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(DUMMY_CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /**
     * Returns once {@code isActive} holds, asking every few milliseconds, and fails after a few
     * seconds with "{@code what} is not ACTIVE". The emulators answer a create at once and turn
     * what they created ACTIVE on a timer, even at 0 ms, so a request sent at once may not find it.
     */
    public static void awaitActive(String what, BooleanSupplier isActive) {
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (!isActive.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + " is not ACTIVE after " + ACTIVE_TIMEOUT.toMillis() + " ms");
            }
            try {
                Thread.sleep(Duration.ofMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /**
     * Runs {@code first} (closing the clients of the server) and stops the child: SIGTERM, then a
     * kill if it has not exited within a few seconds. Only the first call does anything.
     */
    public void stop(Runnable first) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            first.run();
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

    /** The repository root: the nearest folder at or above the working directory with {@code launcher}. */
    public static Path repositoryRoot(String launcher) {
        Path start = Path.of("").toAbsolutePath();
        for (@Nullable Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(launcher))) {
                return dir;
            }
        }
        throw new IllegalStateException("found no " + launcher + " in " + start
                + " or any folder above it; run the tests from inside the Factline repository");
    }

    /**
     * The one server of a JVM, for test classes that need not pay for a start each: started on
     * first use, stopped by a shutdown hook when the JVM exits.
     */
    public static final class PerJvm<T> {
        private final Supplier<T> start;
        private final Consumer<T> stop;
        private final String shutdownThreadName;
        private @Nullable T server;

        public PerJvm(Supplier<T> start, Consumer<T> stop, String shutdownThreadName) {
            this.start = start;
            this.stop = stop;
            this.shutdownThreadName = shutdownThreadName;
        }

        public synchronized T get() {
            T running = server;
            if (running == null) {
                T started = start.get();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.accept(started), shutdownThreadName));
                server = started;
                running = started;
            }
            return running;
        }
    }

    /** Completes with the port from the launcher's port line; keeps draining stdout afterwards. */
    private static CompletableFuture<Integer> readPort(BufferedReader stdout, Emulator emulator) {
        String portLine = emulator.portLine();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stdout) {
                for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                    if (!port.isDone() && line.startsWith(portLine)) {
                        port.complete(Integer.valueOf(line.substring(portLine.length()).trim()));
                    }
                }
                port.completeExceptionally(new IllegalStateException("stdout closed"));
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
        }, emulator.name() + "-stdout");
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

    /**
     * Reads the child's stderr to its end on a daemon thread (so the child never blocks on a full
     * pipe) and keeps the last few KiB for an error message. Once the server is up, its lines go on
     * to {@code System.err}, so they show in test reports; before that they belong in the
     * exception that a failed start throws.
     */
    private static final class StderrTail {
        private static final int KEEP_CHARS = 8 * 1024;

        private final StringBuilder tail = new StringBuilder();
        private final String prefix;
        private final Thread reader;
        private boolean forwarding;

        private StderrTail(BufferedReader in, Emulator emulator) {
            this.prefix = "[" + emulator.name() + "] ";
            this.reader = new Thread(() -> {
                try (in) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        append(line);
                    }
                } catch (IOException e) {
                    append("(reading stderr failed: " + e + ")");
                }
            }, emulator.name() + "-stderr");
            reader.setDaemon(true);
        }

        static StderrTail drain(BufferedReader in, Emulator emulator) {
            StderrTail tail = new StderrTail(in, emulator);
            tail.reader.start();
            return tail;
        }

        /** Prints what the child has written so far, and from now on each line as it comes. */
        synchronized void forwardToSystemErr() {
            forwarding = true;
            tail.toString().lines().forEach(line -> System.err.println(prefix + line));
        }

        private synchronized void append(String line) {
            if (forwarding) {
                System.err.println(prefix + line);
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
