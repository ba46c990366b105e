package dev.factline.benchmarks.replay;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.CapacityMeter;
import dev.factline.benchmarks.CapacityMeter.Bill;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Mode;
import dev.factline.benchmarks.Report;
import dev.factline.benchmarks.Section;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.projector.BatchFigures;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildProgress;
import dev.factline.functions.rebuild.RebuildTarget;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The rebuild engine ({@link Rebuild}: Scan segments, the projector's fold, a checkpoint per page)
 * on dynalite against the live {@link ProjectorFunction} over the same history, each into a fresh
 * read table, alternated within each round; what a rebuild reads and writes, counted by a
 * {@link CapacityMeter} on its client; and, from those counts, a rebuild of 100 M and 1 B events
 * on AWS on paper.
 */
public final class ReplaySection implements Section {

    private static final List<Integer> SEGMENTS = List.of(1, 4, 8);
    /** {@code factline-replay rebuild}'s default. */
    private static final int PAGE_SIZE = 250;
    /** The served view's fold at its next version, hosted beside it: the rebuild of a deploy that changed nothing else. */
    private static final StreamView<?, ?> NEXT_VERSION =
            StreamView.of("account-view", 2, Accounts.STREAM_TYPE, Accounts.codec(), AccountView.PROJECTION, AccountView.class);
    private static final RebuildTarget TARGET = RebuildTarget.of(ReadModels.of(AccountView.MODEL, NEXT_VERSION), "account-view", 2);
    private static final ReadModels LIVE = ReadModels.of(AccountView.MODEL);

    /** Assumed for the estimates on AWS: one DynamoDB call's latency from a machine in the table's region, all calls alike. */
    private static final Duration CALL_LATENCY = Duration.ofMillis(25);
    /** us-east-1, on demand, standard table class. */
    private static final double DOLLARS_PER_READ_UNIT = 0.125 / 1e6;
    private static final double DOLLARS_PER_WRITE_UNIT = 0.625 / 1e6;
    private static final String PRICES = "us-east-1 on-demand prices, $0.125 per million read request units and $0.625 per million "
            + "write request units (the prices since AWS's November 2024 cut, as airbyte.com's DynamoDB pricing page quotes them, "
            + "checked 2026-12-07)";
    private static final List<Long> ESTIMATED_EVENTS = List.of(100_000_000L, 1_000_000_000L);

    @Override
    public String id() {
        return "replay";
    }

    @Override
    public String title() {
        return "Rebuilds";
    }

    @Override
    public void run(Bench bench) throws InterruptedException {
        int streams = bench.mode().pick(1_000, 2_000);
        int commitsEach = bench.mode().pick(4, 10);
        int rounds = bench.mode().pick(2, 3);
        int batchSize = Topology.standard("bench").triggerOf(Topology.PROJECTOR).orElseThrow().batchSize();
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            long writing = System.nanoTime();
            ReplayHistory history = ReplayHistory.write(dynamo, streams, commitsEach, batchSize);
            bench.progress("wrote %,d events in %,d commits over %,d streams in %d s", history.events(), history.records(), streams,
                    Duration.ofNanos(System.nanoTime() - writing).toSeconds());
            // Unmeasured: the first projections and scans run colder code than every later one.
            live(dynamo, history);
            rebuild(dynamo, history, SEGMENTS.getLast());

            List<Double> liveRates = new ArrayList<>();
            Map<Integer, List<Double>> rebuildRates = new LinkedHashMap<>();
            Map<Integer, List<Double>> ratios = new LinkedHashMap<>();
            Map<Integer, Run> lastRebuilds = new LinkedHashMap<>();
            List<Run> lives = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Run lastLive = live(dynamo, history);
                lives.add(lastLive);
                liveRates.add(lastLive.eventsPerSecond());
                StringBuilder line = new StringBuilder("round %d/%d: live %.0f events/s".formatted(round, rounds, lastLive.eventsPerSecond()));
                for (int segments : SEGMENTS) {
                    Run rebuilt = rebuild(dynamo, history, segments);
                    lastRebuilds.put(segments, rebuilt);
                    rebuildRates.computeIfAbsent(segments, key -> new ArrayList<>()).add(rebuilt.eventsPerSecond());
                    ratios.computeIfAbsent(segments, key -> new ArrayList<>()).add(rebuilt.eventsPerSecond() / lastLive.eventsPerSecond());
                    line.append(", %s %.0f".formatted(segmentsOf(segments), rebuilt.eventsPerSecond()));
                }
                bench.progress("%s", line);
            }
            throughput(bench, history, rounds, liveRates, rebuildRates, ratios);
            counts(bench, history, lives.getLast(), lastRebuilds);
            onPaper(bench, history, lastRebuilds);
        }
        bench.note("The history: " + streams + " account streams of " + commitsEach + " commits of " + ReplayHistory.EVENTS_PER_COMMIT
                + " events (an opening, then deposits), written round-robin (every stream's first commit, then every stream's second), "
                + "as many accounts active at once write them; so each of the live projector's batches of " + batchSize
                + " records holds " + batchSize + " streams, and each of a Scan page's streams is whole or cut once.");
        bench.note("Both sides write one view of the same fold into a fresh read table of the same dynalite, with no Redis (a rebuild "
                + "writes none; the live projector's Redis pipeline, one round trip per batch, is left out so that both do the same "
                + "DynamoDB work): the live projector account-view@1 from the stream records in the trigger's batches, already read "
                + "off the stream (so its stream reads are not timed), the rebuild account-view@2 beside it from the event table.");
        if (bench.mode() == Mode.QUICK) {
            bench.note("Quick mode: " + streams * commitsEach * ReplayHistory.EVENTS_PER_COMMIT + " events (full: 100,000) and 2 rounds (full: 3).");
        }
    }

    /** One timed projection or rebuild and what its client was billed. */
    private record Run(long events, long nanos, long rowsWritten, Bill bill) {
        double eventsPerSecond() {
            return events * 1e9 / nanos;
        }
    }

    /** The live projector over the history's batches, handleRequest called in a loop. */
    private static Run live(LocalDynamo dynamo, ReplayHistory history) {
        CapacityMeter meter = new CapacityMeter();
        ReadTable readTable = freshReadTable(dynamo);
        try (DynamoDbClient client = meteredClient(dynamo, meter)) {
            AtomicLong applied = new AtomicLong();
            AtomicLong rows = new AtomicLong();
            ProjectorFunction projector = new ProjectorFunction(LIVE, client, readTable, history.eventTable(), ViewCache.none(),
                    Clock.systemUTC(), (BatchFigures figures) -> {
                        applied.addAndGet(figures.eventsApplied());
                        rows.addAndGet(figures.rowsWritten());
                    });
            long start = System.nanoTime();
            for (DynamodbEvent batch : history.batches()) {
                int failed = projector.handleRequest(batch, null).getBatchItemFailures().size();
                if (failed > 0) {
                    throw new IllegalStateException("the projector failed " + failed + " of a batch's " + batch.getRecords().size() + " records");
                }
            }
            long nanos = System.nanoTime() - start;
            if (applied.get() != history.events()) {
                throw new IllegalStateException("the live projector applied " + applied.get() + " of " + history.events() + " events");
            }
            return new Run(applied.get(), nanos, rows.get(), meter.bill());
        } finally {
            dynamo.client().deleteTable(delete -> delete.tableName(readTable.name()));
        }
    }

    /** A rebuild from nothing, as {@code factline-replay rebuild account-view 2 --segments N} runs it. */
    private static Run rebuild(LocalDynamo dynamo, ReplayHistory history, int segments) throws InterruptedException {
        CapacityMeter meter = new CapacityMeter();
        ReadTable readTable = freshReadTable(dynamo);
        try (DynamoDbClient client = meteredClient(dynamo, meter)) {
            Rebuild rebuild = new Rebuild(client, history.eventTable(), readTable, Clock.systemUTC(), "bench");
            long start = System.nanoTime();
            Rebuild.Summary summary = rebuild.run(TARGET, new Rebuild.Settings(segments, PAGE_SIZE, 0, Duration.ofSeconds(30)),
                    new RebuildProgress());
            long nanos = System.nanoTime() - start;
            if (!summary.complete() || summary.figures().events() != history.events() || !summary.problems().isEmpty()) {
                throw new IllegalStateException("the rebuild with " + segmentsOf(segments) + " ended " + (summary.complete() ? "complete" : "incomplete")
                        + " after " + summary.figures().events() + " of " + history.events() + " events, problems: " + summary.problems());
            }
            return new Run(summary.figures().events(), nanos, summary.figures().rowsWritten(), meter.bill());
        } finally {
            dynamo.client().deleteTable(delete -> delete.tableName(readTable.name()));
        }
    }

    /** {@code 1 segment}, {@code 4 segments}. */
    private static String segmentsOf(int segments) {
        return segments + (segments == 1 ? " segment" : " segments");
    }

    private static ReadTable freshReadTable(LocalDynamo dynamo) {
        ReadTable readTable = new ReadTable("replay-views-" + UUID.randomUUID());
        dynamo.createTable(readTable.createTableRequest());
        return readTable;
    }

    private static DynamoDbClient meteredClient(LocalDynamo dynamo, CapacityMeter meter) {
        return dynamo.clientBuilder().overrideConfiguration(configuration -> configuration.addExecutionInterceptor(meter)).build();
    }

    private static void throughput(Bench bench, ReplayHistory history, int rounds, List<Double> liveRates,
            Map<Integer, List<Double>> rebuildRates, Map<Integer, List<Double>> ratios) {
        String over = history.events() + " events in " + history.records() + " commits over " + history.streams() + " streams, each run "
                + "into a fresh read table; " + rounds + " rounds, each the live projector then the rebuild at 1, 4 and 8 segments, "
                + "after one unmeasured round";
        bench.figure("live projector", "events/s", liveRates, over + "; ProjectorFunction.handleRequest in a loop over the trigger's "
                + "batches, timed from the first invocation to the last answer", null);
        rebuildRates.forEach((segments, rates) -> bench.figure("rebuild, " + segmentsOf(segments), "events/s", rates,
                over + "; Rebuild.run with " + segmentsOf(segments) + " and pages of " + PAGE_SIZE + " items, timed around the call "
                        + "(the lease and checkpoints included)", null));
        ratios.forEach((segments, perRound) -> bench.figure("rebuild, " + segmentsOf(segments) + " / live projector", "ratio", perRound,
                "median of the per-round ratios of events/s; " + over, null));
    }

    private static void counts(Bench bench, ReplayHistory history, Run live, Map<Integer, Run> rebuilds) {
        String counted = " counted by an SDK ExecutionInterceptor on the client of the last round's run";
        for (var entry : rebuilds.entrySet()) {
            int segments = entry.getKey();
            Run run = entry.getValue();
            bench.count("rebuild read-table writes per row, " + segmentsOf(segments), "writes/row",
                    (double) run.rowsWritten() / history.streams(), "the rebuild's rows written (its summary) over the "
                            + history.streams() + " rows of the rebuilt view: a row is written again on the page after a page that cut its stream",
                    Limit.floor(1, "floor: each row written once per rebuild"));
        }
        Run widest = rebuilds.get(SEGMENTS.getLast());
        Bill bill = widest.bill();
        String atWidest = ", " + SEGMENTS.getLast() + " segments;";
        bench.count("rebuild Scan read units per event", "RRU/event", bill.scanReadUnits() / history.events(),
                "Scan's ConsumedCapacity (ReturnConsumedCapacity TOTAL, as dynalite computes it by DynamoDB's rule) over the events read"
                        + atWidest + counted + "; eventually consistent, commits of " + ReplayHistory.EVENTS_PER_COMMIT + " events", null);
        bench.count("rebuild read-table read units per event", "RRU/event", bill.rowReadUnits() / history.events(),
                "computed: 1 unit per key of the consistent BatchGetItem of a page's rows (missing rows cost the same) and per "
                        + "checkpoint GetItem" + atWidest + counted, null);
        bench.count("rebuild write units per event", "WRU/event", bill.writeUnits() / history.events(),
                "computed from the items' sizes: 2 units per KB of each row written in a transaction, 1 per KB of each checkpoint "
                        + "and ledger write" + atWidest + counted, null);
        bench.count("rebuild DynamoDB calls per Scan page", "calls/page", (double) bill.totalCalls() / bill.calls("Scan"),
                "all the rebuild's calls " + bill.calls() + " over its " + bill.calls("Scan") + " Scan pages" + atWidest + counted, null);
        bench.count("live projector read-table writes per row", "writes/row", (double) live.bill().transactedItems() / history.streams(),
                "rows put in the live projector's transactions over the " + history.streams() + " rows of the view: one per stream "
                        + "per batch, and each batch here holds one commit of each of its streams;" + counted, null);
        bench.count("live projector write units per event", "WRU/event", live.bill().writeUnits() / history.events(),
                "computed from the items' sizes as for the rebuild;" + counted, null);
    }

    /**
     * A rebuild of 100 M and 1 B events on AWS, scaled from the counts of the last 8-, 4- and
     * 1-segment runs: the same calls, units and pages per event, every call taking
     * {@link #CALL_LATENCY}, a segment's calls one after another and the segments side by side.
     */
    private static void onPaper(Bench bench, ReplayHistory history, Map<Integer, Run> rebuilds) {
        Bill bill = rebuilds.get(SEGMENTS.getLast()).bill();
        double dollarsPerEvent = (bill.readUnits() * DOLLARS_PER_READ_UNIT + bill.writeUnits() * DOLLARS_PER_WRITE_UNIT) / history.events();
        String scaled = "scaled from the measured history (" + history.events() + " events, " + history.events() / history.streams()
                + " events per stream in commits of " + ReplayHistory.EVENTS_PER_COMMIT + "): fewer, longer streams cost fewer row writes";
        for (long events : ESTIMATED_EVENTS) {
            String size = events >= 1_000_000_000L ? events / 1_000_000_000L + " B" : events / 1_000_000L + " M";
            bench.count("on paper: cost of rebuilding " + size + " events", "$", dollarsPerEvent * events,
                    "the read units per event (" + Report.format(bill.readUnits() / history.events()) + ") and write units per event ("
                            + Report.format(bill.writeUnits() / history.events()) + ") counted above at " + PRICES + "; " + scaled
                            + "; the live projector's own writes meanwhile are not included", null);
            for (int segments : SEGMENTS) {
                Bill of = rebuilds.get(segments).bill();
                double callsPerSegment = (double) of.totalCalls() / segments * events / history.events();
                bench.count("on paper: time to rebuild " + size + " events, " + segmentsOf(segments), "min",
                        callsPerSegment * CALL_LATENCY.toMillis() / 60_000.0,
                        "the rebuild's " + Report.format((double) of.totalCalls() / history.events() * 1000) + " calls per 1,000 events, "
                                + "each taking " + CALL_LATENCY.toMillis() + " ms, a segment's calls in sequence and the " + segments
                                + " segments in parallel and equal; the fold's CPU time and DynamoDB throttling left out; " + scaled, null);
            }
        }
        double seconds = (double) bill.totalCalls() / SEGMENTS.getLast() * CALL_LATENCY.toMillis() / 1000;
        bench.note("On paper at " + SEGMENTS.getLast() + " segments, the rebuild spends " + Report.format(bill.readUnits() / seconds)
                + " read and " + Report.format(bill.writeUnits() / seconds) + " write request units a second, at any size (both "
                + "scale with the events): more segments divide the time until those rates meet the tables' on-demand limits "
                + "(40,000 units a second per table by default, less while a table has not yet been that busy).");
    }
}
