package dev.factline.benchmarks.load;

import dev.factline.local.ApiSigner;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@code samples/load.sh [--url ...] [--concurrency N] [--duration 30s] [--warmup 5s] [--mix ...]}: load, then a table.
 * {@code FACTLINE_API_AUTH=iam}: every request signed (SigV4), credentials and region from the SDK's default chains.
 */
public final class LoadMain {

    private LoadMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LoadPlan plan;
        @Nullable ApiSigner signer;
        try {
            plan = LoadPlan.parse(Arrays.asList(args));
            signer = ApiSigner.wanted(System.getenv()) ? ApiSigner.fromDefaultChains() : null;
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.println(LoadPlan.USAGE);
            System.exit(2);
            return;
        }
        System.out.printf("load on %s: %d workers, %d s measured after %d s warm-up, mix %s%s%n", plan.url(), plan.concurrency(),
                plan.duration().toSeconds(), plan.warmup().toSeconds(), plan.mix(), signer == null ? "" : ", signed (SigV4, " + signer.region() + ")");
        LoadResult result;
        try {
            result = LoadGenerator.run(plan, signer, line -> System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line));
        } catch (LoadGenerator.SetupException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(3);
            return;
        }
        System.out.println();
        System.out.print(result.table());
        System.out.printf("%nthroughput %.1f successful answers/s; latencies are from sending a request to its whole answer, measured by this client%n",
                result.throughput());
        System.exit(result.failures() == 0 ? 0 : 1);
    }
}
