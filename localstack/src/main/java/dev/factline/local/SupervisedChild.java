package dev.factline.local;

import dev.factline.emulators.NodeServer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A child server of the local pipeline (dynalite, kinesalite, redis-server through its launcher),
 * watched while the pipeline runs. Every child also ends with the pipeline's JVM, even a killed
 * one, because its launcher exits when its stdin closes ({@code tools/serve-child.js}).
 *
 * <p>A child that exits while the pipeline runs is either restarted on the same port, so that
 * clients holding its address reconnect to the new one (the SDK and Jedis open new connections
 * on their own), or, when a restart cannot bring back what it held, reported loudly with the
 * reason and left down. Restarts back off: the first comes {@link #FIRST_RESTART_DELAY} after the
 * death, a failed attempt or a child that dies again within {@link #STABLE_RUN} of its restart
 * doubles the wait, up to {@link #LONGEST_RESTART_DELAY}. Each death and each restart is a line
 * on stderr.
 */
final class SupervisedChild implements AutoCloseable {

    static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(100);
    static final Duration LONGEST_RESTART_DELAY = Duration.ofSeconds(10);
    /** A child that ran at least this long before it died starts its backoff again from the first delay. */
    static final Duration STABLE_RUN = Duration.ofSeconds(30);
    static final Duration STOPPING_GRACE = Duration.ofMillis(250);

    private final String name;
    private final IntFunction<NodeServer> startOnPort;
    private final @Nullable String whyNotRestarted;
    private final ScheduledExecutorService restarts;
    private NodeServer server;
    private long startedAtNanos;
    private @Nullable Duration lastDelay;
    private int restartCount;
    private boolean closed;

    private SupervisedChild(String name, IntFunction<NodeServer> startOnPort, @Nullable String whyNotRestarted) {
        this.name = name;
        this.startOnPort = startOnPort;
        this.whyNotRestarted = whyNotRestarted;
        this.restarts = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name + "-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        this.server = startOnPort.apply(0);
        this.startedAtNanos = System.nanoTime();
        watch(server);
    }

    /** Starts the child on any free port ({@code startOnPort} gets 0) and restarts it on that port whenever it dies. */
    static SupervisedChild restarting(String name, IntFunction<NodeServer> startOnPort) {
        return new SupervisedChild(name, startOnPort, null);
    }

    /** Starts the child on any free port; if it dies, says so with {@code whyNotRestarted} and leaves it down. */
    static SupervisedChild notRestarted(String name, String whyNotRestarted, IntFunction<NodeServer> startOnPort) {
        return new SupervisedChild(name, startOnPort, Objects.requireNonNull(whyNotRestarted));
    }

    /** The running child (after a restart, the new one; its endpoint stays the same). */
    synchronized NodeServer server() {
        return server;
    }

    int port() {
        return server().endpoint().getPort();
    }

    /**
     * The wait before restarting a child that died after running {@code uptime}: the first delay
     * after a stable run (or the first death), else the previous wait doubled, up to the longest.
     */
    static Duration delayAfterDeath(@Nullable Duration previousDelay, Duration uptime) {
        if (previousDelay == null || uptime.compareTo(STABLE_RUN) >= 0) {
            return FIRST_RESTART_DELAY;
        }
        return doubled(previousDelay);
    }

    static Duration doubled(Duration delay) {
        Duration twice = delay.multipliedBy(2);
        return twice.compareTo(LONGEST_RESTART_DELAY) > 0 ? LONGEST_RESTART_DELAY : twice;
    }

    private void watch(NodeServer watched) {
        watched.exited().thenAccept(exitCode -> died(watched, exitCode));
    }

    /**
     * Judges a death after {@link #STOPPING_GRACE}: Ctrl-C sends SIGINT to the children as well as
     * to the JVM, and they may exit before the JVM's shutdown hook has begun to close the pipeline.
     */
    private void died(NodeServer dead, int exitCode) {
        Duration uptime = Duration.ofNanos(System.nanoTime() - startedAtNanos);
        restarts.schedule(() -> judge(dead, exitCode, uptime), STOPPING_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void judge(NodeServer dead, int exitCode, Duration uptime) {
        if (closed || dead != server || jvmIsShuttingDown()) {
            return;
        }
        String death = name + " on port " + port() + " exited by itself (exit code " + exitCode + ") after " + seconds(uptime);
        if (whyNotRestarted != null) {
            log("!!! " + death + ". It is not restarted: " + whyNotRestarted + ". Stop the pipeline (Ctrl-C) and start it again.");
            return;
        }
        Duration delay = delayAfterDeath(lastDelay, uptime);
        log(death + "; restarting it on the same port in " + delay.toMillis() + " ms");
        restartIn(delay);
    }

    private void restartIn(Duration delay) {
        lastDelay = delay;
        restarts.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (closed) {
            return;
        }
        int port = port();
        try {
            server = startOnPort.apply(port);
        } catch (RuntimeException e) {
            Duration delay = doubled(Objects.requireNonNull(lastDelay));
            log("restarting " + name + " on port " + port + " failed (" + e.getMessage() + "); trying again in " + delay.toMillis() + " ms");
            restartIn(delay);
            return;
        }
        startedAtNanos = System.nanoTime();
        restartCount++;
        log(name + " is back on port " + port + " (restart " + restartCount + ")");
        watch(server);
    }

    /** Stops the child and any restart to come; a child stopped here is no death. */
    @Override
    public void close() {
        NodeServer last;
        synchronized (this) {
            closed = true;
            last = server;
        }
        restarts.shutdownNow();
        last.stop(() -> { });
    }

    @Override
    public String toString() {
        return name;
    }

    /** Whether the JVM has begun to run its shutdown hooks: from then on it refuses new ones. */
    private static boolean jvmIsShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static void log(String line) {
        System.err.println("[local] " + line);
    }
}
