package dev.factline.benchmarks.endtoend;

import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Mode;
import dev.factline.benchmarks.Section;
import dev.factline.benchmarks.Series;
import dev.factline.benchmarks.load.ApiRequests;
import dev.factline.benchmarks.load.LoadGenerator;
import dev.factline.benchmarks.load.LoadPlan;
import dev.factline.benchmarks.load.LoadResult;
import dev.factline.benchmarks.load.Mix;
import dev.factline.benchmarks.load.Operation;
import dev.factline.emulators.NodeServer;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.local.LocalPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The embedded pipeline ({@link LocalPipeline}: dynalite, kinesalite, Redis, the five functions and
 * their stream triggers in this JVM) driven over HTTP: command throughput and latency at several
 * concurrencies (against the raw conditional-write rate of the same dynalite), projection lag from
 * a command's answer to its view in the read table (against the triggers' poll interval) and to a
 * polling reader's first GET that shows it, and query latency per cache tier.
 */
public final class EndToEndSection implements Section {

    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
    private static final Duration VISIBLE_DEADLINE = Duration.ofSeconds(30);
    /** How often the lag probe reads the view row: often enough to resolve the lag, rarely enough not to load the dynalite it measures. */
    private static final Duration LAG_PROBE_INTERVAL = Duration.ofMillis(5);
    /** A client polling for its own write, as issue 15's did. */
    private static final Duration READER_POLL_INTERVAL = Duration.ofMillis(10);
    private static final int RAW_WRITERS = 8;
    /** The clients of issue 18's goal: commands/s at 32 clients against the raw conditional put rate. */
    private static final int GOAL_CLIENTS = 32;
    /** About the size of a one-event deposit's commit item (envelope, metadata, keys). */
    private static final int COMMIT_BYTES = 500;

    @Override
    public String id() {
        return "end-to-end";
    }

    @Override
    public String title() {
        return "End to end on the embedded pipeline";
    }

    @Override
    public void run(Bench bench) throws Exception {
        bench.progress("starting the embedded pipeline");
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Api api = new Api(http, pipeline.url());
            double rawWrites = rawConditionalWrites(bench, pipeline.dynamo());
            commands(bench, pipeline, rawWrites);
            lag(bench, api, pipeline);
            queries(bench, api, pipeline);
        }
        if (bench.mode() == Mode.FULL) {
            oneContainerEach(bench);
        }
    }

    /**
     * The emulator's own ceiling: conditional PutItems per second from 8 threads, no HTTP, JSON or
     * decide, of an item the size of a one-event commit into a table shaped like the event table
     * (with its stream). A warm command costs one such write, and everything else the pipeline
     * does per command (stream reads, the projector's transaction, the saga) shares the same
     * single-threaded dynalite, so commands can reach only part of this rate.
     */
    private static double rawConditionalWrites(Bench bench, DynamoDbClient dynamo) throws Exception {
        EventTable table = rawWritesTable(dynamo);
        Duration period = bench.mode().pick(Duration.ofSeconds(2), Duration.ofSeconds(3));
        int runs = bench.mode().pick(2, 3);
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            rates.add(rawWriteRate(dynamo, table, "raw-" + run, period));
        }
        return bench.figure("raw conditional PutItem rate, " + RAW_WRITERS + " threads", "writes/s", rates,
                "conditional PutItems of a " + COMMIT_BYTES + "-byte item (a one-event commit's size) into a table shaped like the "
                        + "event table, stream included, from " + RAW_WRITERS + " threads for " + period.toSeconds()
                        + " s on the pipeline's dynalite, SDK only; median of " + runs + " runs", null).value();
    }

    private static EventTable rawWritesTable(DynamoDbClient dynamo) {
        EventTable table = new EventTable("raw-writes-" + UUID.randomUUID());
        dynamo.createTable(table.createTableRequest());
        NodeServer.awaitActive("table " + table.name(),
                () -> dynamo.describeTable(b -> b.tableName(table.name())).table().tableStatus() == TableStatus.ACTIVE);
        return table;
    }

    /** One run of {@link #RAW_WRITERS} threads writing conditional PutItems for {@code period}: writes per second. */
    private static double rawWriteRate(DynamoDbClient dynamo, EventTable table, String run, Duration period) throws Exception {
        AttributeValue commitSized = AttributeValue.fromS("x".repeat(COMMIT_BYTES));
        AtomicLong writes = new AtomicLong();
        long until = System.nanoTime() + period.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(RAW_WRITERS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int writer = 0; writer < RAW_WRITERS; writer++) {
                String stream = run + "-" + writer;
                running.add(pool.submit(() -> {
                    for (long version = 1; System.nanoTime() < until; version++) {
                        dynamo.putItem(put(table, stream, version, commitSized));
                        writes.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        return writes.get() / (period.toNanos() / 1e9);
    }

    private static PutItemRequest put(EventTable table, String stream, long version, AttributeValue payload) {
        return PutItemRequest.builder().tableName(table.name())
                .item(Map.of(EventTable.PARTITION_KEY, AttributeValue.fromS(stream),
                        EventTable.SORT_KEY, AttributeValue.fromN(Long.toString(version)),
                        "payload", payload))
                .conditionExpression("attribute_not_exists(" + EventTable.PARTITION_KEY + ")")
                .build();
    }

    private static void commands(Bench bench, LocalPipeline pipeline, double rawWrites) throws Exception {
        URI url = pipeline.url();
        EventTable rawTable = rawWritesTable(pipeline.dynamo());
        Duration rawPeriod = bench.mode().pick(Duration.ofSeconds(2), Duration.ofSeconds(3));
        int runs = bench.mode().pick(2, 3);
        LoadPlan base = new LoadPlan(url, 1, bench.mode().pick(Duration.ofSeconds(1), Duration.ofSeconds(3)),
                bench.mode().pick(Duration.ofSeconds(2), Duration.ofSeconds(8)), Mix.only(Operation.DEPOSIT));
        for (int concurrency : bench.mode().pick(List.of(1, 8), List.of(1, 8, 32))) {
            List<Double> throughput = new ArrayList<>();
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            List<GoalRun> goalRuns = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                LoadResult result;
                if (concurrency == GOAL_CLIENTS) {
                    GoalRun goalRun = GoalRun.measure(pipeline, rawTable, "paired-" + run, rawPeriod, base.withConcurrency(concurrency));
                    goalRuns.add(goalRun);
                    result = goalRun.result();
                } else {
                    result = deposits(base.withConcurrency(concurrency), LoadGenerator.MeasuredPeriod.NONE);
                }
                throughput.add(result.throughput(Operation.DEPOSIT));
                p50.add(result.latencyMillis(Operation.DEPOSIT, 50));
                p99.add(result.latencyMillis(Operation.DEPOSIT, 99));
            }
            String method = "deposits over HTTP (API Gateway payload 2.0 -> command function -> dynalite), " + concurrency
                    + " closed-loop clients each on an account of its own, " + base.duration().toSeconds() + " s after "
                    + base.warmup().toSeconds() + " s warm-up; median of " + runs + " runs";
            bench.figure("commands/s at concurrency " + concurrency, "commands/s", throughput, method, null);
            bench.figure("command latency p50 at concurrency " + concurrency, "ms", p50, method, null);
            bench.figure("command latency p99 at concurrency " + concurrency, "ms", p99, method, null);
            if (concurrency == RAW_WRITERS) {
                bench.figure("commands/s at concurrency " + concurrency + " / raw conditional PutItem rate", "ratio",
                        throughput.stream().map(rate -> rate / rawWrites).toList(),
                        "each run's command rate over the raw rate measured above, at the same concurrency; what the rest of the"
                                + " pipeline's work on the one dynalite leaves to the commands", null);
            }
            if (concurrency == GOAL_CLIENTS) {
                bench.figure("commands/s at concurrency " + concurrency + " / raw conditional PutItem rate", "ratio",
                        goalRuns.stream().map(GoalRun::ratio).toList(),
                        "each run's command rate over the raw rate (" + RAW_WRITERS + " threads, " + rawPeriod.toSeconds()
                                + " s) measured on the same dynalite just before it; the command function ran up to "
                                + pipeline.concurrency(Topology.COMMAND) + " containers (--concurrency default: 4 per processor) and had started "
                                + pipeline.containers(Topology.COMMAND) + " by the end",
                        Limit.atLeast(0.6, "issue 18's goal: commands at 32 clients at least 0.6 of the raw conditional put rate"));
                dynaliteWork(bench, "", goalRuns);
            }
        }
        if (bench.mode() == Mode.QUICK) {
            bench.note("Quick mode: commands at 1 and 8 clients only (full mode adds 32), 2 runs of 2 s each.");
        }
    }

    /** The load plan's deposits, refused as figures if more than 1 in 100 failed. */
    private static LoadResult deposits(LoadPlan plan, LoadGenerator.MeasuredPeriod period) throws InterruptedException {
        LoadResult result = LoadGenerator.run(plan, line -> { }, period);
        long deposits = result.successes(Operation.DEPOSIT);
        if (deposits == 0 || result.failures() > deposits / 100) {
            throw new IllegalStateException("concurrency " + plan.concurrency() + ": " + deposits + " deposits succeeded and "
                    + result.failures() + " failed; figures of a failing pipeline would mean nothing\n" + result.table());
        }
        return result;
    }

    /**
     * The same 32-client runs on a pipeline of one container per function (--concurrency 1), each paired with a
     * raw rate measured just before it: what the containers buy on this machine, in the same run.
     */
    private static void oneContainerEach(Bench bench) throws Exception {
        bench.progress("commands at %d clients with one container per function", GOAL_CLIENTS);
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withConcurrency(1))) {
            EventTable rawTable = rawWritesTable(pipeline.dynamo());
            Duration rawPeriod = Duration.ofSeconds(3);
            LoadPlan plan = new LoadPlan(pipeline.url(), GOAL_CLIENTS, Duration.ofSeconds(3), Duration.ofSeconds(8), Mix.only(Operation.DEPOSIT));
            List<GoalRun> runs = new ArrayList<>();
            for (int run = 0; run < 3; run++) {
                runs.add(GoalRun.measure(pipeline, rawTable, "single-" + run, rawPeriod, plan));
            }
            String method = "as at concurrency " + GOAL_CLIENTS + " above, on a pipeline started with --concurrency 1 (one container per"
                    + " function, as before issue 18); median of 3 runs";
            bench.figure("commands/s at concurrency " + GOAL_CLIENTS + ", one container per function", "commands/s",
                    runs.stream().map(run -> run.result().throughput(Operation.DEPOSIT)).toList(), method, null);
            bench.figure("commands/s at concurrency " + GOAL_CLIENTS + ", one container per function / raw conditional PutItem rate", "ratio",
                    runs.stream().map(GoalRun::ratio).toList(), method + "; each over the raw rate measured just before it", null);
            dynaliteWork(bench, ", one container per function", runs);
        }
    }

    /**
     * What dynalite did for the commands of {@code runs}: its CPU per command against its CPU per raw put
     * (how many raw puts' worth of its work a command costs, all the pipeline's reactions included), the
     * one-core ceiling that gives, and its requests per command by sender and operation.
     */
    private static void dynaliteWork(Bench bench, String variant, List<GoalRun> runs) {
        String where = "at concurrency " + GOAL_CLIENTS + variant;
        String measured = "over each run's measured period (the load generator says when it starts and ends)";
        bench.figure("dynalite CPU " + where, "cores", runs.stream().map(GoalRun::dynaliteCores).toList(),
                "the dynalite process's CPU time (user + system, from /proc by ProcessHandle) " + measured
                        + ", over its wall time; one Node process can use at most 1 core", null);
        bench.figure("dynalite CPU per command " + where, "ms", runs.stream().map(GoalRun::cpuMillisPerCommand).toList(),
                "dynalite's CPU time " + measured + ", over the deposits answered in it", null);
        bench.figure("dynalite CPU per raw conditional PutItem " + where, "ms", runs.stream().map(GoalRun::cpuMillisPerRawPut).toList(),
                "dynalite's CPU time over the raw run paired with each run (measured just before it), over its puts", null);
        bench.figure("dynalite CPU per command / per raw put " + where, "x", runs.stream().map(run -> run.cpuMillisPerCommand() / run.cpuMillisPerRawPut()).toList(),
                "per run: how many raw puts' worth of dynalite's work a command costs, the pipeline's reactions to it (stream reads, the"
                        + " projector's writes, the saga) included; where dynalite is the bottleneck, commands reach at most the raw rate"
                        + " over this, so issue 18's 0.6 needs it at most 1.67", null);
        bench.figure("commands/s at one dynalite core " + where, "commands/s", runs.stream().map(run -> 1000 / run.cpuMillisPerCommand()).toList(),
                "per run: 1 s of dynalite CPU over its CPU per command; the ceiling a single-threaded dynalite sets", null);
        Map<String, List<Double>> perCommand = new TreeMap<>();
        for (GoalRun run : runs) {
            run.requests().keySet().forEach(key -> perCommand.putIfAbsent(key, new ArrayList<>()));
        }
        for (GoalRun run : runs) {
            double commands = run.result().successes(Operation.DEPOSIT);
            perCommand.forEach((key, values) -> values.add(run.requests().getOrDefault(key, 0L) / commands));
        }
        bench.figure("dynalite requests per command " + where, "requests/command",
                runs.stream().map(run -> run.requests().values().stream().mapToLong(Long::longValue).sum() / (double) run.result().successes(Operation.DEPOSIT)).toList(),
                "requests the SDK sent to DynamoDB and DynamoDB Streams (both dynalite here), every attempt counted, by an interceptor"
                        + " on every client in this JVM (DynaliteRequests), " + measured + ", over the deposits answered in it", null);
        perCommand.forEach((key, values) -> bench.figure("dynalite requests per command " + where + ": " + key, "requests/command", values,
                "as above, of one sender (the function whose thread sent it; HTTP API: the command function) and operation", null));
    }

    /**
     * One run at {@link #GOAL_CLIENTS} clients, paired with a raw-rate run on the same dynalite just before it, and
     * dynalite's CPU time and requests over each.
     */
    private record GoalRun(LoadResult result, double rawRate, double cpuMillisPerRawPut, Duration measured, long cpuNanos,
            Map<String, Long> requests) {

        static GoalRun measure(LocalPipeline pipeline, EventTable rawTable, String name, Duration rawPeriod, LoadPlan plan) throws Exception {
            ProcessHandle dynalite = ProcessHandle.current().descendants()
                    .filter(handle -> handle.info().commandLine().orElse("").contains("dynalite-server.js")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no child process runs dynalite-server.js"));
            long rawCpuAtStart = cpuTimeNanos(dynalite);
            double rawRate = rawWriteRate(pipeline.dynamo(), rawTable, name, rawPeriod);
            double rawCpuMillisPerPut = (cpuTimeNanos(dynalite) - rawCpuAtStart) / 1e6 / (rawRate * rawPeriod.toNanos() / 1e9);
            DynaliteMeter meter = new DynaliteMeter(dynalite);
            LoadResult result = deposits(plan, meter);
            return new GoalRun(result, rawRate, rawCpuMillisPerPut, Duration.ofNanos(meter.wallNanos), meter.cpuNanos, meter.requests());
        }

        double ratio() {
            return result.throughput(Operation.DEPOSIT) / rawRate;
        }

        double dynaliteCores() {
            return cpuNanos / (double) measured.toNanos();
        }

        double cpuMillisPerCommand() {
            return cpuNanos / 1e6 / result.successes(Operation.DEPOSIT);
        }
    }

    private static long cpuTimeNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid())).toNanos();
    }

    /** dynalite's CPU time and the requests sent to it over a load run's measured period. */
    private static final class DynaliteMeter implements LoadGenerator.MeasuredPeriod {

        private final ProcessHandle dynalite;
        private long startedNanos;
        private long cpuAtStart;
        private long wallNanos;
        private long cpuNanos;
        private DynaliteRequests.@Nullable Counting counting;

        DynaliteMeter(ProcessHandle dynalite) {
            this.dynalite = dynalite;
        }

        @Override
        public void started() {
            cpuAtStart = cpuTimeNanos(dynalite);
            startedNanos = System.nanoTime();
            counting = DynaliteRequests.start();
        }

        @Override
        public void ended() {
            wallNanos = System.nanoTime() - startedNanos;
            cpuNanos = cpuTimeNanos(dynalite) - cpuAtStart;
            requests();
        }

        /** The requests counted over the period; counting stops at its end. */
        Map<String, Long> requests() {
            return Objects.requireNonNull(counting, "the measured period never started").stop();
        }
    }

    /**
     * Deposits one at a time on a few accounts; after each answer, the view row is read (strongly
     * consistent GetItem every {@link #LAG_PROBE_INTERVAL}) until it shows the answered version. The lag is from the
     * answer to that read: the append happened before the answer, so this slightly understates it.
     * Meanwhile a reader polls {@code GET /accounts/{id}} every {@link #READER_POLL_INTERVAL} from the same
     * answer until its body shows the version: what a client sees, caches included. Its lag should be the
     * projection lag plus at most one of its intervals (issue 15: an in-process LRU made it a second).
     */
    private static void lag(Bench bench, Api api, LocalPipeline pipeline) throws IOException, InterruptedException, ExecutionException {
        int samples = bench.mode().pick(30, 150);
        bench.progress("projection and polling lag: %d deposits, each awaited in the read table and over HTTP", samples);
        List<String> accounts = api.openAccounts(5);
        ReadTable readTable = pipeline.topology().readTable();
        long poll = pipeline.streamPollInterval().toMillis();
        List<Double> lags = new ArrayList<>();
        List<Double> pollingLags = new ArrayList<>();
        try (ExecutorService reader = Executors.newSingleThreadExecutor()) {
            for (int i = 0; i < samples; i++) {
                // Commands arrive at random moments of the poll cycle, as independent clients' do; sent
                // right after the last view appeared, each would land at the same point of the cycle.
                Thread.sleep(ThreadLocalRandom.current().nextLong(poll));
                String account = accounts.get(i % accounts.size());
                long version = api.deposit(account);
                long answered = System.nanoTime();
                Future<Double> polled = reader.submit(() -> api.pollUntilVersion(account, version, answered));
                awaitVersion(pipeline.dynamo(), readTable, account, version);
                lags.add((System.nanoTime() - answered) / 1e6);
                pollingLags.add(polled.get());
            }
        }
        String method = samples + " deposits one at a time over 5 accounts, each after a random pause within one poll interval;"
                + " from the command's answer to a consistent GetItem of the view row showing its version, read every "
                + LAG_PROBE_INTERVAL.toMillis() + " ms (so about " + LAG_PROBE_INTERVAL.toMillis() + " ms of resolution)";
        bench.percentile("projection lag p50", "ms", 50, lags, method, null);
        bench.percentile("projection lag p99", "ms", 99, lags, method + (samples < 100 ? "; of fewer than 100 samples, p99 is their maximum" : ""), null);
        bench.percentile("projection lag p50 / trigger poll interval", "ratio", 50, lags.stream().map(lag -> lag / poll).toList(),
                method + "; each lag over the " + poll + " ms the trigger waits between reads of an idle shard (as Lambda polls, four times a second)",
                Limit.atMost(1, "one poll interval (" + poll + " ms): a record waits half of it on average, then one batch"));
        String polling = samples + " deposits as above; from the command's answer to the first GET /accounts/{id} over HTTP, sent every "
                + READER_POLL_INTERVAL.toMillis() + " ms from the answer on by a reader of its own while the row is probed, whose body"
                + " shows the version (the query function's caches included)";
        bench.percentile("polling lag p50", "ms", 50, pollingLags, polling, null);
        bench.percentile("polling lag p99", "ms", 99, pollingLags, polling + (samples < 100 ? "; of fewer than 100 samples, p99 is their maximum" : ""), null);
        bench.chart(new Series("projection-lag", "Lag from a command's answer: its view in the read table, and seen by a reader polling every "
                + READER_POLL_INTERVAL.toMillis() + " ms (" + samples + " deposits)", "lag (ms)", "percent of events visible", false,
                List.of(new Series.Line("read table", cumulative(lags)), new Series.Line("polling reader", cumulative(pollingLags)))));
    }

    private static List<Series.Point> cumulative(List<Double> values) {
        List<Series.Point> cdf = new ArrayList<>();
        List<Double> sorted = values.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            cdf.add(new Series.Point(sorted.get(i), 100.0 * (i + 1) / sorted.size()));
        }
        return cdf;
    }

    private static void awaitVersion(DynamoDbClient dynamo, ReadTable table, String account, long version) throws InterruptedException {
        Map<String, AttributeValue> key = ViewRow.keyOf(AccountView.MODEL.rowKey(Accounts.TYPE.streamId(account)));
        long deadline = System.nanoTime() + VISIBLE_DEADLINE.toNanos();
        while (true) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table.name()).key(key).consistentRead(true)).item();
            if (item != null && item.containsKey(ReadTable.VERSION) && Long.parseLong(item.get(ReadTable.VERSION).n()) >= version) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the view of " + account + " did not reach version " + version + " within "
                        + VISIBLE_DEADLINE.toSeconds() + " s");
            }
            Thread.sleep(LAG_PROBE_INTERVAL);
        }
    }

    /**
     * Query latency per tier, each request's tier made certain and checked on Redis's own counters:
     * a read of a projected view is a Redis hit (the projector wrote it), and a read after Redis was
     * emptied a table read. Views are not kept in the container, so there is no third tier.
     */
    private static void queries(Bench bench, Api api, LocalPipeline pipeline) throws IOException, InterruptedException {
        int accounts = bench.mode().pick(20, 60);
        bench.progress("query tiers: %d projected accounts", accounts);
        List<String> ids = api.openAccounts(accounts);
        for (String id : ids) {
            awaitVersion(pipeline.dynamo(), pipeline.topology().readTable(), id, 1);
        }
        List<Double> redisHits = new ArrayList<>();
        List<Double> tableReads = new ArrayList<>();
        try (RedisClient redis = RedisViewCache.client(pipeline.endpoints().get("Redis"), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            long hitsBefore = redisStat(redis, "keyspace_hits");
            for (String id : ids) {
                redisHits.add(api.timedRead(id));
            }
            long redisHitCount = redisStat(redis, "keyspace_hits") - hitsBefore;
            redis.flushAll();
            long missesBefore = redisStat(redis, "keyspace_misses");
            for (String id : ids) {
                tableReads.add(api.timedRead(id));
            }
            long misses = redisStat(redis, "keyspace_misses") - missesBefore;
            if (redisHitCount < accounts || misses < accounts) {
                bench.note("tiers not as planned: Redis counted " + redisHitCount + " hits in the Redis-hit round and " + misses
                        + " misses in the table round, for " + accounts + " reads each");
            }
        }
        String method = "GET /accounts/{id} over HTTP, one request at a time, " + accounts + " accounts; median of the requests";
        bench.figure("query latency, Redis hit", "ms", redisHits, method + " (a projected view; Redis's keyspace_hits confirms)", null);
        bench.figure("query latency, table read", "ms", tableReads, method + " (Redis flushed; keyspace_misses confirms)", null);
    }

    private static long redisStat(RedisClient redis, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + ":(\\d+)").matcher(redis.info("stats"));
        if (!matcher.find()) {
            throw new IllegalStateException("Redis INFO stats has no " + name);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The few HTTP calls the lag and query measures need, each checked for its status. */
    private record Api(HttpClient http, ApiRequests requests) {

        Api(HttpClient http, URI url) {
            this(http, new ApiRequests(url, Duration.ofSeconds(30)));
        }

        List<String> openAccounts(int count) throws IOException, InterruptedException {
            List<String> ids = new ArrayList<>();
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < count; i++) {
                String id = "a-bench-" + run + "-" + i;
                send(requests.openAccount(id, "bench"), 201);
                ids.add(id);
            }
            return ids;
        }

        long deposit(String account) throws IOException, InterruptedException {
            String body = send(requests.deposit(account, 100), 200);
            Matcher matcher = VERSION.matcher(body);
            if (!matcher.find()) {
                throw new IllegalStateException("a deposit's answer has no version: " + body);
            }
            return Long.parseLong(matcher.group(1));
        }

        /** Reads the account's view every {@link #READER_POLL_INTERVAL} until it shows {@code version}: ms from {@code since}. */
        double pollUntilVersion(String account, long version, long since) throws IOException, InterruptedException {
            long deadline = since + VISIBLE_DEADLINE.toNanos();
            while (true) {
                // A 404 is a view not projected yet (the account was opened a moment ago): poll on.
                HttpResponse<String> response = http.send(requests.readAccount(account), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 && response.statusCode() != 404) {
                    throw new IllegalStateException("GET /accounts/" + account + ": got " + response.statusCode() + " " + response.body());
                }
                Matcher matcher = VERSION.matcher(response.body());
                if (response.statusCode() == 200 && matcher.find() && Long.parseLong(matcher.group(1)) >= version) {
                    return (System.nanoTime() - since) / 1e6;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("GET /accounts/" + account + " did not show version " + version + " within "
                            + VISIBLE_DEADLINE.toSeconds() + " s");
                }
                Thread.sleep(READER_POLL_INTERVAL);
            }
        }

        double timedRead(String account) throws IOException, InterruptedException {
            long start = System.nanoTime();
            send(requests.readAccount(account), 200);
            return (System.nanoTime() - start) / 1e6;
        }

        private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + ": expected " + expected + ", got "
                        + response.statusCode() + " " + response.body());
            }
            return response.body();
        }
    }
}
