package dev.factline.benchmarks.contention;

import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Mode;
import dev.factline.benchmarks.Section;
import dev.factline.benchmarks.Series;
import dev.factline.benchmarks.Stats;
import dev.factline.functions.projector.Projector.ContentionRetries;
import dev.factline.functions.projector.Projector.TransactionShape;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The projector under the concurrency Lambda gives it: {@code N} invocations at once (a stream
 * shard's ParallelizationFactor, up to 10, or several shards), each projecting its own part of
 * the order streams' records into one read table, on dynalite whose transactions cancel as
 * DynamoDB's do ({@code TransactionConflict}). Every order move writes the dashboard's 8 shard
 * rows' counters in the same transaction as the order's row, so concurrent batches meet there.
 * Three ways of writing run on the same records in one run: every transaction filled, whatever
 * shards it touches, each retried in turn (before issue 18); one transaction per dashboard shard,
 * each retried in turn (issue 18 item 4); and the projector's own, one transaction per dashboard
 * shard, the cancelled ones retried in rounds.
 */
public final class ContentionSection implements Section {

    private static final List<Integer> CONCURRENCY = List.of(1, 2, 4, 10);

    /** How the projector cuts and retries its transactions, and what the report calls it. */
    record Variant(String name, TransactionShape shape, ContentionRetries retries) {
    }

    static final Variant FILLED = new Variant("filled transactions (before)", TransactionShape.FILLED, ContentionRetries.IN_TURN);
    static final Variant IN_TURN = new Variant("a transaction per dashboard shard, retried in turn (before)",
            TransactionShape.BY_TALLY_SHARD, ContentionRetries.IN_TURN);
    static final Variant IN_ROUNDS = new Variant("a transaction per dashboard shard, retried in rounds",
            TransactionShape.BY_TALLY_SHARD, ContentionRetries.IN_ROUNDS);
    private static final List<Variant> VARIANTS = List.of(IN_ROUNDS, IN_TURN, FILLED);

    @Override
    public String id() {
        return "contention";
    }

    @Override
    public String title() {
        return "Projector contention on the dashboard rows";
    }

    @Override
    public void run(Bench bench) throws InterruptedException {
        int batchSize = Topology.standard("bench").triggerOf(Topology.PROJECTOR).orElseThrow().batchSize();
        // Enough for every one of the most lanes to project several full batches (two records per order).
        int batchesPerLane = bench.mode().pick(2, 4);
        int orders = CONCURRENCY.getLast() * batchesPerLane * batchSize / 2;
        int rounds = bench.mode().pick(1, 2);
        Map<Variant, Map<Integer, List<ConcurrentProjection>>> runs = new LinkedHashMap<>();
        VARIANTS.forEach(variant -> runs.put(variant, new TreeMap<>()));
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            OrderRecords records = OrderRecords.write(dynamo, orders);
            bench.progress("wrote %d orders (placed, then paid): %d records", orders, records.records().size());
            // Unmeasured: the first projection runs colder code than every later one.
            ConcurrentProjection.run(dynamo, records, 1, batchSize, IN_ROUNDS);
            for (int round = 1; round <= rounds; round++) {
                for (int lanes : CONCURRENCY) {
                    // Every variant on the same machine state, one after the other.
                    for (Variant variant : VARIANTS) {
                        ConcurrentProjection run = ConcurrentProjection.run(dynamo, records, lanes, batchSize, variant);
                        runs.get(variant).computeIfAbsent(lanes, any -> new ArrayList<>()).add(run);
                        bench.progress("round %d, %s, %d lanes: %s", round, variant.name(), lanes, run.summary());
                    }
                }
            }
        }
        List<Series.Line> lines = new ArrayList<>();
        for (Variant variant : VARIANTS) {
            List<Series.Point> points = new ArrayList<>();
            runs.get(variant).forEach((lanes, measured) -> {
                String label = variant.name() + ", " + lanes + (lanes == 1 ? " invocation" : " invocations at once");
                String method = 2 * orders + " records of " + orders + " orders split by order over " + lanes
                        + " lanes (as Lambda splits a shard by partition key), batches of " + batchSize + ", each lane its own "
                        + "projector and client, fresh read table, " + measured.size() + " round(s); last: " + measured.getLast().summary();
                List<Double> eventsPerSecond = measured.stream().map(ConcurrentProjection::eventsPerSecond).toList();
                bench.figure("throughput, " + label, "events/s", eventsPerSecond, method, null);
                bench.figure("conflicts per committed transaction, " + label, "conflicts/transaction",
                        measured.stream().map(ConcurrentProjection::conflictsPerCommit).toList(), method, null);
                bench.figure("batches delivered again, " + label, "batches", measured.stream().map(run -> (double) run.redeliveries()).toList(),
                        method + "; a batch the projector reported (a transaction cancelled " + variant.retries().maxAttempts()
                                + " times) is delivered again from its failed record",
                        variant == IN_ROUNDS && lanes == CONCURRENCY.getLast()
                                ? Limit.atMost(Math.max(1, 2 * orders / batchSize / 10), "at Lambda's highest ParallelizationFactor, at most "
                                        + "one batch in 10 delivered twice") : null);
                points.add(new Series.Point(lanes, Stats.median(eventsPerSecond)));
            });
            double alone = points.getFirst().y();
            double most = points.getLast().y();
            bench.count("throughput at " + CONCURRENCY.getLast() + " invocations / at 1, " + variant.name(), "x", most / alone,
                    "medians of the two throughputs above", null);
            lines.add(new Series.Line(variant.name(), points));
        }
        bench.chart(new Series("contention-throughput", "Projected events/s by concurrent projector invocations", "invocations at once",
                "events/s", false, lines));
        bench.note("Each order is placed, then paid (two commits, two records); a lane holds the records of the orders whose stream id "
                + "hashes to it, in stream order, so no order is projected by two lanes, as Lambda keeps a partition key in one "
                + "batch at a time. Every run ends by checking the dashboard: all orders paid, none placed, the totals exact. "
                + "Rounds run the three variants one after the other at each concurrency, after an unmeasured warm-up projection. "
                + "Retried in turn: each transaction up to 8 times in a row (full jitter, 10-200 ms), then the next; in rounds: "
                + "every cancelled transaction of the batch once a round, one such pause between rounds, up to 16 attempts each.");
        bench.note("dynalite answers one call at a time on one core here, so throughput cannot grow with the lanes, and a "
                + "transaction stays in flight longer the busier dynalite is; the conflicts and re-deliveries are what to read. "
                + "On DynamoDB calls run in parallel and a transaction is in flight for some tens of milliseconds.");
        if (bench.mode() == Mode.QUICK) {
            bench.note("Quick mode: " + orders + " orders (2 batches per lane at 10 lanes), 1 round (full: 4 batches per lane, 2 rounds).");
        }
    }
}
