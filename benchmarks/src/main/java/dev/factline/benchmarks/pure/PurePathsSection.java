package dev.factline.benchmarks.pure;

import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Mode;
import dev.factline.benchmarks.Section;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Times {@link PurePathBenchmarks} with JMH, one benchmark at a time (so progress shows between
 * them), each in one forked JVM on one thread. Every measurement iteration is a run of the
 * figure, so the report shows its median and spread; JMH's GC profiler adds the bytes each
 * operation allocates, the first thing to look at when a path is slow.
 */
public final class PurePathsSection implements Section {

    // Warmups are long for such small methods because C2 needs seconds to settle when the 2 cores
    // are shared: at a load average of 8-10, decide + encode took 4-10 s to reach its steady rate.
    private static final Timing QUICK = new Timing(1, 2, 3, 1);
    private static final Timing FULL = new Timing(5, 2, 5, 2);

    /** JMH's GC profiler's name for the bytes allocated per operation. */
    private static final String ALLOCATED_PER_OPERATION = "gc.alloc.rate.norm";

    private static final List<Measured> BENCHMARKS = List.of(
            new Measured("decideAndEncode", "decide + encode a deposit", "commands/s",
                    "DepositMoney on an open account's state through AccountDecider.decide, and the MoneyDeposited it decides"
                            + " encoded as CommandHandler does it: the system clock read once, EventCodec.encode to v3 JSON, a random"
                            + " UUID event id and the command's metadata in the NewEvent that EventStore.append receives",
                    Limit.atLeast(1_000_000, "goal: 1M decide+encode per second per core"), null),
            new Measured("decodeUpcastAndFold", "decode v1 + upcast + fold a deposit", "events/s",
                    "a MoneyDeposited stored at schema v1 ({\"amount\":1250,\"currency\":\"EUR\"}) decoded by the account codec"
                            + " (parsed to a tree, upcast v1 -> v2 -> v3, bound) and applied to an AccountView by"
                            + " AccountView.PROJECTION, the projector's per-event step",
                    Limit.atLeast(100_000, "a stream shard follows one partition, which takes at most 1,000 write units/s"
                            + " (about 1,000 one-event commits); folding 100,000 events/s keeps the projector's folding"
                            + " under 1% of a core per shard, and under 4% on a 512 MB Lambda's share of a vCPU"), null),
            new Measured("accountEventRoundTrip", "account event round trip", "round trips/s",
                    "MoneyDeposited (v3, with a reference) encoded by the account codec and decoded back from its RecordedEvent",
                    null, null),
            new Measured("orderEventRoundTrip", "order event round trip", "round trips/s",
                    "OrderPlaced with two lines encoded by Orders.EVENTS and decoded back from its RecordedEvent",
                    null, null),
            new Measured("sealPersonalFields", "seal an event's personal fields", "events/s",
                    "PersonalData.seal of an AccountOpened payload with the holder's name and email, the subject's key cached"
                            + " (InMemoryDataKeys): parse, two AES-256-GCM encryptions with fresh nonces, write; what a command with"
                            + " personal data adds to encoding, before any key-store call",
                    null, "latency sealing adds per command with personal data"),
            new Measured("revealPersonalFields", "reveal an event's personal fields", "events/s",
                    "PersonalData.reveal of that sealed payload: parse, two AES-GCM decryptions, write; what each event or view"
                            + " holding personal data adds to an answer, before the key item's GetItem",
                    null, "latency revealing adds per event decoded with personal data"));

    @Override
    public String id() {
        return "pure";
    }

    @Override
    public String title() {
        return "Pure paths (JMH, one thread)";
    }

    @Override
    public void run(Bench bench) throws RunnerException {
        Timing timing = bench.mode().pick(QUICK, FULL);
        double loadBefore = loadAverage();
        for (Measured benchmark : BENCHMARKS) {
            bench.progress("JMH %s: %s", benchmark.method(), timing.describe());
            BenchmarkResult result = runAlone(benchmark.method(), timing);
            String method = "JMH " + result.getParams().getJmhVersion() + ", Mode.Throughput, 1 fork, 1 thread, " + timing.describe()
                    + "; the median of the measurement iterations; " + benchmark.what();
            List<Double> throughput = scores(result, IterationResult::getPrimaryResult);
            bench.figure(benchmark.name(), benchmark.unit(), throughput, method, benchmark.limit());
            if (benchmark.addedLatency() != null) {
                bench.figure(benchmark.addedLatency(), "µs", throughput.stream().map(perSecond -> 1e6 / perSecond).toList(),
                        "1 s / the throughput above, iteration by iteration: the mean time one operation takes on one thread", null);
            }
            bench.figure(benchmark.name() + ", allocated", "B/op",
                    scores(result, iteration -> iteration.getSecondaryResults().get(ALLOCATED_PER_OPERATION)),
                    "JMH's GC profiler (" + ALLOCATED_PER_OPERATION + ") in the same iterations", null);
        }
        bench.note("Each benchmark runs alone in a JVM that JMH forks with the harness's class path and default JVM flags."
                + " Decide + encode stops at the NewEvent the store port receives: the DynamoDB store's AttributeValue map"
                + " (Items.commit) and the request are SDK object building, left to the DynamoDB sections.");
        double loadAfter = loadAverage();
        if (bench.mode() == Mode.QUICK) {
            bench.note("Quick mode warms each benchmark up for 2 s only, which the JIT may not finish in on a busy machine: "
                    + "take the full mode's figures as the throughput.");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (Math.max(loadBefore, loadAfter) > cores) {
            bench.note(("The 1-minute load average was %.1f before and %.1f after these benchmarks, on %d cores: above the"
                    + " core count, the benchmark and the JIT compiler shared the cores with other work, so the figures"
                    + " understate one free core (and the JIT settles later: see the runs' spread).")
                    .formatted(loadBefore, loadAfter, cores));
        }
    }

    /** The operating system's 1-minute load average; negative where it has none. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static BenchmarkResult runAlone(String benchmarkMethod, Timing timing) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(PurePathBenchmarks.class.getName() + "." + benchmarkMethod) + "$")
                .forks(1)
                .threads(1)
                .mode(org.openjdk.jmh.annotations.Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .warmupIterations(timing.warmups())
                .warmupTime(TimeValue.seconds(timing.warmupSeconds()))
                .measurementIterations(timing.iterations())
                .measurementTime(TimeValue.seconds(timing.iterationSeconds()))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (Runtime.version().feature() >= 24) {
            // JMH 1.37 reads field offsets through sun.misc.Unsafe; from JDK 24 each fork would print
            // that warning into the progress output.
            options.jvmArgsAppend("--sun-misc-unsafe-memory-access=allow");
        }
        RunResult run = new Runner(options.build()).run().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH ran nothing for " + benchmarkMethod + "; is META-INF/BenchmarkList in the jar?"));
        return run.getBenchmarkResults().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH returned no fork for " + benchmarkMethod));
    }

    private static List<Double> scores(BenchmarkResult result, Function<IterationResult, @Nullable Result<?>> metric) {
        return result.getIterationResults().stream().map(iteration -> {
            Result<?> measured = metric.apply(iteration);
            if (measured == null) {
                throw new IllegalStateException("JMH's iteration has no such result; it has " + iteration.getSecondaryResults().keySet());
            }
            return measured.getScore();
        }).toList();
    }

    /** Warmup and measurement iterations, and their lengths in seconds. */
    private record Timing(int warmups, int warmupSeconds, int iterations, int iterationSeconds) {

        String describe() {
            return warmups + " x " + warmupSeconds + " s warmup, " + iterations + " x " + iterationSeconds + " s measurement";
        }
    }

    /**
     * One benchmark method, the figure it becomes, what exactly it times, its limit, if one means
     * something, and the name of its time per operation, for a step that adds to a larger path.
     */
    private record Measured(String method, String name, String unit, String what, @Nullable Limit limit, @Nullable String addedLatency) {
    }
}
