package dev.factline.local;

import dev.factline.emulators.NodeServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar localstack/target/factline-local.jar [port] [--data DIR | --in-memory] [--reset]}:
 * starts the local pipeline, prints where everything listens, where its data is and a first request
 * to try, and runs until Ctrl-C, which stops every server it started (Node children and
 * redis-server included) and exits. {@link LocalFlags} says what the arguments mean; a command
 * line that cannot be run is refused with exit code 2 and the usage, before anything is written.
 * {@code REDIS_URL} set: that Redis is used instead of starting one.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        long started = System.nanoTime();
        LocalFlags flags;
        try {
            flags = LocalFlags.parse(List.of(args), System.getenv(), NodeServer.repositoryRoot("tools/dynalite-server.js").resolve(".factline"));
        } catch (LocalFlags.UsageException e) {
            System.err.println("factline-local: " + e.getMessage() + "\n" + LocalFlags.USAGE);
            System.exit(2);
            return;
        }
        if (flags.reset()) {
            try {
                System.out.println(DataFolder.reset(Objects.requireNonNull(flags.data())));
            } catch (RuntimeException e) {
                System.err.println("factline-local: nothing wiped: " + e.getMessage());
                System.exit(1);
            }
            return;
        }
        String redis = System.getenv("REDIS_URL");
        LocalPipeline.Options options = LocalPipeline.Options.defaults()
                .withPort(flags.port())
                .withData(flags.data())
                .withRedisUrl(redis == null || redis.isBlank() ? null : URI.create(redis));
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(options);
        } catch (RuntimeException e) {
            System.err.println("The local pipeline did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the local pipeline...");
            pipeline.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "local-pipeline-shutdown"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Runtime runtime = Runtime.getRuntime();
        long heapMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        URI url = pipeline.url();
        System.out.println();
        System.out.println("Factline local pipeline is up in " + took.toMillis() + " ms (JVM heap in use: " + heapMb + " MB)");
        pipeline.endpoints().forEach((what, where) -> System.out.printf("  %-22s %s%n", what, where));
        System.out.println("  functions              " + String.join(", ", pipeline.functionNames()) + " (built once, in this JVM)");
        System.out.println("  parked stream records  " + url + "/_local/parked");
        Path data = pipeline.dataFolder();
        System.out.println(data == null ? "  data                   in memory (--in-memory): gone when the pipeline stops"
                : "  data                   " + data + " (kept across restarts; to wipe it: stop, then ./factline-local --reset"
                        + (data.endsWith(".factline") ? "" : " --data " + data) + ")");
        System.out.println();
        System.out.println("Try:");
        System.out.println("  curl -i -X POST " + url + "/accounts -H 'content-type: application/json' \\");
        System.out.println("       -d '{\"accountId\":\"a-1\",\"ownerId\":\"alice\",\"currency\":\"EUR\"}'");
        System.out.println("  curl -i " + url + "/accounts/a-1");
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }
}
