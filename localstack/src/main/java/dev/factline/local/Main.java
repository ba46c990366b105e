package dev.factline.local;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar localstack/target/factline-local.jar [port]}: starts the local pipeline, prints
 * where everything listens and a first request to try, and runs until Ctrl-C, which stops every
 * server it started (Node children and redis-server included) and exits.
 *
 * <p>Port: the argument, else {@code FACTLINE_PORT}, else 8080 (0 = any free port). {@code REDIS_URL}
 * set: that Redis is used instead of starting one.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        long started = System.nanoTime();
        String portText = args.length > 0 ? args[0] : System.getenv().getOrDefault("FACTLINE_PORT", "8080");
        String redis = System.getenv("REDIS_URL");
        LocalPipeline.Options options = LocalPipeline.Options.defaults()
                .withPort(Integer.parseInt(portText))
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
