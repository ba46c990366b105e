package dev.factline.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Section;
import dev.factline.benchmarks.Stats;
import dev.factline.benchmarks.coldstart.FreshJvm.ColdStart;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalKinesis;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Cold start of each function: a fresh JVM on the deployable jar, timed to handler ready and
 * through its first invoke against the local servers, beside a hello-world handler started the
 * same way in the same round (the ratio), under each variant worth trying: the JVM's defaults,
 * C1 only, and SnapStart priming simulated by running the functions' CRaC hooks before the first
 * invoke. The variant with the fastest first invoke is reported per function, with the figures
 * that chose it; then classes loaded and the jar's size against Lambda's limits.
 */
public final class ColdStartSection implements Section {

    private static final String JAR = "functions/target/functions-lambda.jar";
    private static final String HELLO = "hello-world";
    private static final String FLOOR = "sdk-floor";
    private static final List<String> C1_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
    private static final double MB = 1024.0 * 1024.0;
    /** Warm invokes after the first, in the variant infra deploys (primed, C1 only): the first {@link #WARM_UP} are not counted. */
    private static final int WARM_INVOKES = 50;
    private static final int WARM_UP = 10;
    private static final List<String> FUNCTIONS = List.of(Topology.COMMAND, Topology.QUERY, Topology.PROJECTOR, Topology.PUBLISHER, Topology.SAGA);

    private static final String READY = "wall clock in the harness from spawning a fresh JVM (java -cp functions-lambda.jar:probe.jar"
            + " ColdStartProbe) to reading the line the probe prints once the handler's public no-arg constructor has returned: JVM start,"
            + " class loading and the constructor, Lambda's init phase; median of the rounds, variant %s";
    private static final String INVOKE = "System.nanoTime around the first handleRequest in that JVM, on an event read from a JSON file in"
            + " Lambda's shape by the official serializer (aws-lambda-java-serialization), against dynalite, kinesalite and redis-server on"
            + " loopback; median of the rounds, variant %s";
    private static final String RATIO = "per round, the function's %s over the hello-world handler's (a constant answer, run just before on"
            + " the same class path, flags and environment); median of the per-round ratios, variant %s";
    private static final String CLASSES = "ClassLoadingMXBean total loaded classes after the first invoke (the JDK's, the probe's and the"
            + " serializer's included, as in the hello-world baseline); median of the rounds, variant %s";
    private static final String FIRST_INVOKE_CLASSES = "ClassLoadingMXBean total loaded classes after the first handleRequest less"
            + " before it (when primed, what priming left for the first invoke to load); median of the rounds, variant %s";
    private static final String WARM_P99 = "System.nanoTime around each handleRequest after the first in the same JVM, each on an event of"
            + " its own (the same HTTP request again, a fresh stream batch of a new customer), against the same local servers: p99"
            + " (nearest rank) of invokes %d-%d after the first, the first %d let it warm; median of the rounds, variant %s";
    private static final String FIRST_OVER_WARM = "per round, the function's first invoke over its own warm p99 in the same JVM; median of the"
            + " per-round ratios, variant %s";
    private static final String OVER_FLOOR = "per round, the function's time to ready + first invoke over the SDK floor's (one DynamoDbClient"
            + " built as AWS's cold-start guidance has it, one GetItem; run in the same round on the same class path, flags and environment"
            + " as hello-world); median of the per-round ratios, variant %s";
    private static final Limit SIX_TIMES_HELLO = Limit.atMost(6, "issue 18's goal: a cold start without SnapStart at most 6x a hello-world handler's");
    private static final String SUMMARY = "per round, the median over the five functions of the %s (each in a fresh JVM, as measured"
            + " per function below); median of the rounds";

    private record Variant(String name, List<String> flags, boolean primed) {
    }

    private static final Variant DEFAULTS = new Variant("JVM defaults", List.of(), false);
    private static final Variant C1_ONLY = new Variant("C1 only", C1_FLAGS, false);
    private static final Variant PRIMED = new Variant("primed, JVM defaults", List.of(), true);
    private static final Variant PRIMED_C1_ONLY = new Variant("primed, C1 only", C1_FLAGS, true);

    /** A handler under test; {@code request} is its fixed event, or null for the round's stream batches. */
    private record Target(String name, String handler, Class<?> eventType, @Nullable Path request, Map<String, String> environment,
            String expectedAnswer) {

        Path event(Path batch) {
            return request != null ? request : batch;
        }

        /** The same request again for an HTTP function (each opens an account of its own, or reads the projected one), fresh batches for a stream function. */
        List<Path> warmEvents(List<Path> batches) {
            if (name.equals(HELLO) || name.equals(FLOOR)) {
                return List.of();
            }
            return request != null ? Collections.nCopies(batches.size(), request) : batches;
        }
    }

    /** Every cold start of one variant: per target, one per round, in round order. */
    private record Measured(Variant variant, Map<String, List<ColdStart>> byTarget) {

        List<ColdStart> of(String target) {
            return byTarget.get(target);
        }
    }

    @Override
    public String id() {
        return "cold-start";
    }

    @Override
    public String title() {
        return "Cold start";
    }

    @Override
    public void run(Bench bench) throws Exception {
        Path jar = bench.repositoryRoot().resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the deployable jar first (./mvnw -pl functions package -DskipTests)");
        }
        // A function's fresh JVM costs 2-4 s of CPU: full mode is 2 rounds x 4 variants x 6 handlers = 48 of them, quick mode
        // one round of the two variants closest to Lambda (its documented C1-only default, without and with priming).
        int rounds = bench.mode().pick(1, 2);
        List<Variant> variants = bench.mode().pick(List.of(C1_ONLY, PRIMED_C1_ONLY), List.of(DEFAULTS, C1_ONLY, PRIMED, PRIMED_C1_ONLY));
        reportJarSize(bench, jar);
        if (rounds == 1) {
            bench.note("Quick mode: one round, so each figure in the table is a single cold start (the report calls it exact).");
        }

        Path directory = Files.createTempDirectory("cold-start");
        List<Measured> measured;
        try (LocalDynamo dynamo = LocalDynamo.start(); LocalKinesis kinesis = LocalKinesis.start(); LocalRedis redis = LocalRedis.start();
                ColdStartWorld world = new ColdStartWorld(directory, dynamo, kinesis, redis)) {
            FreshJvm jvm = new FreshJvm(jar, ProbeJar.write(directory));
            List<Target> targets = targets(world);
            bench.progress("dynalite, kinesalite and redis-server up; tables, stream and events ready");
            measured = variants.stream().map(variant -> new Measured(variant, new LinkedHashMap<>())).toList();
            for (int round = 0; round < rounds; round++) {
                bench.progress("round %d of %d: %d variants x %d handlers, a fresh JVM each", round + 1, rounds, variants.size(), targets.size());
                // Alternate the variants' order, so a drift in the machine's load favours none of them.
                for (Measured variant : round % 2 == 0 ? measured : measured.reversed()) {
                    Path batch = world.nextCommitBatch();
                    List<Path> warmBatches = variant.variant() == PRIMED_C1_ONLY
                            ? IntStream.range(0, WARM_INVOKES).mapToObj(i -> world.nextCommitBatch()).toList() : List.of();
                    for (Target target : targets) {
                        variant.byTarget().computeIfAbsent(target.name(), name -> new ArrayList<>())
                                .add(coldStart(jvm, target, variant.variant(), batch, target.warmEvents(warmBatches)));
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
        report(bench, measured);
    }

    private static List<Target> targets(ColdStartWorld world) {
        Path openAccount = world.openAccountRequest();
        Path readAccount = world.readAccountRequest();
        List<Target> targets = new ArrayList<>();
        Map<String, String> baseline = world.baselineEnvironment();
        targets.add(new Target(HELLO, HelloWorldHandler.class.getName(), APIGatewayV2HTTPEvent.class, openAccount, baseline,
                "answer=" + HelloWorldHandler.ANSWER));
        targets.add(new Target(FLOOR, SdkFloorHandler.class.getName(), APIGatewayV2HTTPEvent.class, openAccount, baseline,
                "answer=" + SdkFloorHandler.ANSWER));
        targets.add(function(world, Topology.COMMAND, APIGatewayV2HTTPEvent.class, openAccount, "status=201"));
        targets.add(function(world, Topology.QUERY, APIGatewayV2HTTPEvent.class, readAccount, "status=200"));
        for (String streamFunction : List.of(Topology.PROJECTOR, Topology.PUBLISHER, Topology.SAGA)) {
            targets.add(function(world, streamFunction, DynamodbEvent.class, null, "failures=0"));
        }
        return targets;
    }

    private static void reportJarSize(Bench bench, Path jar) throws IOException {
        long unzipped = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                unzipped += Math.max(entry.getSize(), 0);
            }
        }
        bench.count("deployable jar, zipped", "MB", Files.size(jar) / MB, "size of " + JAR + " (one jar for all five functions)",
                Limit.atMost(50, "Lambda's limit on a .zip uploaded directly (50 MB)"));
        bench.count("deployable jar, unzipped", "MB", unzipped / MB, "sum of the uncompressed sizes of the jar's entries",
                Limit.atMost(250, "Lambda's limit on a function's unzipped package with its layers (250 MB)"));
    }

    private static void report(Bench bench, List<Measured> measured) {
        for (Measured variant : measured) {
            bench.figure("first invoke, median of the 5 functions: " + variant.variant().name(), "ms",
                    acrossFunctions(variant, ColdStart::invokeMillis), SUMMARY.formatted("first invoke"), null);
            if (!variant.variant().primed()) {
                bench.figure("ready + first invoke, median of the 5 functions: " + variant.variant().name(), "ms",
                        acrossFunctions(variant, run -> run.readyMillis() + run.invokeMillis()), SUMMARY.formatted("time to ready + first invoke"),
                        null);
            }
        }
        Measured best = measured.stream()
                .min(Comparator.comparingDouble(variant -> Stats.median(acrossFunctions(variant, ColdStart::invokeMillis))))
                .orElseThrow();
        String bestName = best.variant().name();
        List<ColdStart> hello = best.of(HELLO);
        bench.figure(HELLO + ": time to ready", "ms", values(hello, ColdStart::readyMillis), READY.formatted(bestName), null);
        bench.figure(HELLO + ": first invoke", "ms", values(hello, ColdStart::invokeMillis), INVOKE.formatted(bestName), null);
        bench.figure(HELLO + ": classes loaded", "classes", values(hello, ColdStart::classesLoaded), CLASSES.formatted(bestName), null);
        List<ColdStart> floor = best.of(FLOOR);
        bench.figure(FLOOR + ": time to ready", "ms", values(floor, ColdStart::readyMillis), READY.formatted(bestName), null);
        bench.figure(FLOOR + ": first invoke", "ms", values(floor, ColdStart::invokeMillis), INVOKE.formatted(bestName), null);
        bench.figure(FLOOR + ": classes loaded", "classes", values(floor, ColdStart::classesLoaded), CLASSES.formatted(bestName), null);
        Topology topology = Topology.standard("cold-start");
        for (String function : FUNCTIONS) {
            List<ColdStart> runs = best.of(function);
            bench.figure(function + ": time to ready", "ms", values(runs, ColdStart::readyMillis), READY.formatted(bestName),
                    Limit.atMost(10_000, "Lambda's 10 s limit on a function's init phase"));
            bench.figure(function + ": first invoke", "ms", values(runs, ColdStart::invokeMillis), INVOKE.formatted(bestName),
                    Limit.atMost(topology.function(function).timeout().toMillis(), "the function's timeout in the topology"));
            bench.figure(function + ": time to ready / hello-world", "x", ratios(best, function, ColdStart::readyMillis),
                    RATIO.formatted("time to ready", bestName), null);
            bench.figure(function + ": ready + first invoke / hello-world", "x",
                    ratios(best, function, run -> run.readyMillis() + run.invokeMillis()), RATIO.formatted("time to ready + first invoke", bestName),
                    null);
            bench.figure(function + ": classes loaded", "classes", values(runs, ColdStart::classesLoaded), CLASSES.formatted(bestName), null);
            bench.figure(function + ": classes loaded by the first invoke", "classes", values(runs, ColdStart::classesLoadedByFirstInvoke),
                    FIRST_INVOKE_CLASSES.formatted(bestName), null);
        }
        goals(bench, measured);
        bench.note(verdict(measured, best));
        bench.note("The hello-world handler's first invoke returns a constant in microseconds, so a function's first invoke over it"
                + " would be a ratio of thousands saying nothing; the ratios above compare the time to ready, and the whole cold start"
                + " (time to ready + first invoke).");
        Stream.concat(Stream.of(best), measured.stream()).filter(variant -> variant.variant().primed()).findFirst().ifPresent(primed -> bench.note(
                "Priming (each function's CRaC beforeCheckpoint, run before the snapshot and so outside the first invoke) took a median of "
                        + String.join(", ", FUNCTIONS.stream().map(function -> function + " "
                                + format(Stats.median(values(primed.of(function), ColdStart::primingMillis))) + " ms").toList())
                        + " (" + primed.variant().name() + "); on Lambda it lengthens publishing a version, not a cold start."));
        bench.note("SnapStart is simulated, not run: the probe primes and invokes in the JVM it started, so the snapshot's restore"
                + " (Lambda reports it as Restore Duration) is not in these figures, and the first invoke's connections go to local servers"
                + " on loopback, without TLS. Priming runs every function's requests on offline SDK clients (the publisher's on a Kinesis"
                + " client answered offline in the protocol it speaks); the view cache's Redis client, the metrics and the request log"
                + " are not primed, since priming must write nothing. The child JVMs are this harness's (" + Runtime.version() + "), the"
                + " runtime infra deploys (java25), with no memory limit and the classes read from the jar, where Lambda reads them from"
                + " the unzipped package.");
        bench.note("Not tried: the AWS CRT HTTP client (software.amazon.awssdk:aws-crt-client) in place of url-connection-client. It"
                + " would need a second deployable jar built with it, and its native library loaded at init; the measurements here are of"
                + " the one jar infra deploys.");
    }

    /**
     * Issue 18's goals, each against the variant it is about: without SnapStart, a function's ready + first
     * invoke under C1 only (what infra sets) at most 6x hello-world's; with SnapStart, the primed first
     * invoke at most 3x the same function's warm p99.
     */
    private static void goals(Bench bench, List<Measured> measured) {
        for (Measured variant : measured) {
            if (variant.variant() == C1_ONLY) {
                ToDoubleFunction<ColdStart> coldStart = run -> run.readyMillis() + run.invokeMillis();
                List<Double> floorRatios = ratios(variant, FLOOR, HELLO, coldStart);
                bench.figure(FLOOR + ": ready + first invoke / hello-world, no SnapStart", "x", floorRatios,
                        RATIO.formatted("time to ready + first invoke", C1_ONLY.name()), SIX_TIMES_HELLO);
                for (String function : FUNCTIONS) {
                    bench.figure(function + ": ready + first invoke / hello-world, no SnapStart", "x", ratios(variant, function, HELLO, coldStart),
                            RATIO.formatted("time to ready + first invoke", C1_ONLY.name()), SIX_TIMES_HELLO);
                    bench.figure(function + ": ready + first invoke / sdk floor, no SnapStart", "x", ratios(variant, function, FLOOR, coldStart),
                            OVER_FLOOR.formatted(C1_ONLY.name()), null);
                }
                bench.note(floorNote(Stats.median(floorRatios)));
            }
            if (variant.variant() == PRIMED_C1_ONLY) {
                String name = PRIMED_C1_ONLY.name();
                for (String function : FUNCTIONS) {
                    List<ColdStart> runs = variant.of(function);
                    bench.figure(function + ": warm invoke p99", "ms", runs.stream().map(ColdStartSection::warmP99).toList(),
                            WARM_P99.formatted(WARM_UP + 1, WARM_INVOKES, WARM_UP, name), null);
                    bench.figure(function + ": primed first invoke / warm p99", "x",
                            runs.stream().map(run -> run.invokeMillis() / warmP99(run)).toList(), FIRST_OVER_WARM.formatted(name),
                            Limit.atMost(3, "issue 18's goal: a SnapStart first invoke at most 3x the function's warm p99"));
                }
            }
        }
    }

    /** Which variant won, and the figures that decided it. */
    private static String verdict(List<Measured> measured, Measured best) {
        String invokes = String.join(", ", measured.stream().map(variant -> variant.variant().name() + " "
                + format(Stats.median(acrossFunctions(variant, ColdStart::invokeMillis))) + " ms").toList());
        String readyPlusInvokes = String.join(", ", measured.stream().filter(variant -> !variant.variant().primed())
                .map(variant -> variant.variant().name() + " "
                        + format(Stats.median(acrossFunctions(variant, run -> run.readyMillis() + run.invokeMillis()))) + " ms").toList());
        return "Best: " + best.variant().name() + (best.variant().flags().isEmpty() ? "" : " (" + String.join(" ", best.variant().flags()) + ")")
                + ", chosen on the first invoke (the median over the five functions), which is what a SnapStart cold start runs after its"
                + " restore: " + invokes + ". Without SnapStart a cold start also waits for init; time to ready + first invoke: "
                + readyPlusInvokes + ".";
    }

    /** Per round, the median over the five functions of {@code value}. */
    private static List<Double> acrossFunctions(Measured variant, ToDoubleFunction<ColdStart> value) {
        return IntStream.range(0, variant.of(HELLO).size())
                .mapToObj(round -> Stats.median(FUNCTIONS.stream().map(function -> value.applyAsDouble(variant.of(function).get(round))).toList()))
                .toList();
    }

    /** Per round, {@code function}'s value over the hello-world handler's in the same round. */
    private static List<Double> ratios(Measured variant, String function, ToDoubleFunction<ColdStart> value) {
        return ratios(variant, function, HELLO, value);
    }

    /** Per round, {@code function}'s value over {@code baseline}'s in the same round. */
    private static List<Double> ratios(Measured variant, String function, String baseline, ToDoubleFunction<ColdStart> value) {
        List<ColdStart> base = variant.of(baseline);
        List<ColdStart> runs = variant.of(function);
        return IntStream.range(0, runs.size()).mapToObj(round -> value.applyAsDouble(runs.get(round)) / value.applyAsDouble(base.get(round))).toList();
    }

    /** Where the 6x goal stands against what the SDK alone costs: the gap, and why. */
    private static String floorNote(double floorOverHello) {
        String measured = "The SDK floor (a handler that builds one DynamoDbClient with its region, EnvironmentVariableCredentialsProvider"
                + " and the URLConnection HTTP client, and does one GetItem: no Factline code) took " + String.format("%.1f", floorOverHello)
                + "x hello-world's ready + first invoke (C1 only). ";
        return floorOverHello > 6
                ? measured + "That is above issue 18's 6x goal on its own: no function that reads DynamoDB with the AWS SDK for Java can"
                        + " meet it in this JVM, so the functions' figures over the floor show what is Factline's own to cut."
                : measured + "That leaves " + String.format("%.1f", 6 / floorOverHello) + "x the floor for a function's own work within"
                        + " the 6x goal.";
    }

    private static List<Double> values(List<ColdStart> runs, ToDoubleFunction<ColdStart> value) {
        return runs.stream().map(value::applyAsDouble).toList();
    }

    private static String format(double millis) {
        return Long.toString(Math.round(millis));
    }

    private static Target function(ColdStartWorld world, String name, Class<?> eventType, @Nullable Path request, String expectedAnswer) {
        return new Target(name, world.spec(name).handler(), eventType, request, world.environment(name), expectedAnswer);
    }

    private static ColdStart coldStart(FreshJvm jvm, Target target, Variant variant, Path batch, List<Path> warmEvents)
            throws IOException, InterruptedException {
        return jvm.run(target.handler(), target.eventType(), target.event(batch), warmEvents, variant.flags(), variant.primed(),
                target.environment(), target.expectedAnswer());
    }

    /** The p99 of a run's warm invokes, past its warm-up. */
    private static double warmP99(ColdStart run) {
        List<Double> warm = run.warmInvokeMillis();
        return Stats.percentile(warm.subList(WARM_UP, warm.size()), 99);
    }
}
