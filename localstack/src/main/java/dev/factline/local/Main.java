package dev.factline.local;

import dev.factline.emulators.NodeServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar localstack/target/factline-local.jar [port] [--data DIR | --in-memory] [--reset] [--concurrency N]}:
 * starts the local pipeline, prints where everything listens, where its data is and a first request
 * to try, and runs until Ctrl-C, which stops every server it started (Node children and
 * redis-server included) and exits. {@link LocalFlags} says what the arguments mean; a command
 * line that cannot be run is refused with exit code 2 and the usage, before anything is written.
 * {@code REDIS_URL} set: that Redis is used instead of starting one.
 * {@code --auth iam}: the API's routes want SigV4 signatures, as the deployed API's IAM auth does,
 * by a key pair made now and printed.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        long started = System.nanoTime();
        List<String> arguments = new ArrayList<>(List.of(args));
        @Nullable LocalCredentials iam;
        try {
            iam = authFlag(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println("factline-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalFlags flags;
        try {
            flags = LocalFlags.parse(arguments, System.getenv(), NodeServer.repositoryRoot("tools/dynalite-server.js").resolve(".factline"));
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
                .withIam(iam)
                .withPort(flags.port())
                .withData(flags.data())
                .withConcurrency(flags.concurrency())
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
        System.out.println("  functions              " + String.join(", ", pipeline.functionNames()) + " (in this JVM)");
        System.out.println("  concurrency            " + pipeline.concurrencySummary());
        System.out.println("  parked stream records  " + url + "/_local/parked");
        Path data = pipeline.dataFolder();
        System.out.println(data == null ? "  data                   in memory (--in-memory): gone when the pipeline stops"
                : "  data                   " + data + " (kept across restarts; to wipe it: stop, then ./factline-local --reset"
                        + (data.endsWith(".factline") ? "" : " --data " + data) + ")");
        if (iam != null) {
            System.out.println("  IAM auth (SigV4)       every API route wants a signature by this key pair (region " + LocalEnvironment.REGION
                    + ", service " + ApiSigner.SERVICE + "):");
            System.out.println("    export AWS_ACCESS_KEY_ID=" + iam.accessKeyId() + " AWS_SECRET_ACCESS_KEY=" + iam.secretAccessKey()
                    + " AWS_REGION=" + LocalEnvironment.REGION + " FACTLINE_API_AUTH=iam");
        }
        String signing = iam == null ? "" : " --aws-sigv4 aws:amz:" + LocalEnvironment.REGION + ":" + ApiSigner.SERVICE
                + " --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"";
        System.out.println();
        System.out.println("Try:");
        System.out.println("  curl -i" + signing + " -X POST " + url + "/accounts -H 'content-type: application/json' \\");
        System.out.println("       -d '{\"accountId\":\"a-1\",\"ownerId\":\"alice\",\"currency\":\"EUR\"}'");
        System.out.println("  curl -i" + signing + " " + url + "/accounts/a-1");
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
    }

    /** Takes {@code --auth iam} or {@code --auth none} out of {@code arguments}: the credentials to require, or null. */
    static @Nullable LocalCredentials authFlag(List<String> arguments) {
        int at = arguments.indexOf("--auth");
        if (at < 0) {
            return null;
        }
        if (at + 1 >= arguments.size()) {
            throw new IllegalArgumentException("--auth needs a value: iam (SigV4, as the deployed API) or none");
        }
        String mode = arguments.get(at + 1);
        arguments.subList(at, at + 2).clear();
        return switch (mode) {
            case "iam" -> LocalCredentials.generate();
            case "none" -> null;
            default -> throw new IllegalArgumentException("--auth must be iam (SigV4, as the deployed API) or none, not \"" + mode + "\"");
        };
    }
}
