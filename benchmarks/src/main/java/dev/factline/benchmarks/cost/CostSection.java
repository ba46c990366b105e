package dev.factline.benchmarks.cost;

import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.CapacityMeter;
import dev.factline.benchmarks.Section;
import dev.factline.benchmarks.Stats;
import dev.factline.benchmarks.calls.Container;
import dev.factline.benchmarks.contention.OrderRecords;
import dev.factline.benchmarks.cost.CostModel.Architecture;
import dev.factline.benchmarks.cost.CostModel.Command;
import dev.factline.benchmarks.cost.CostModel.Invocation;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.projector.Projector;
import dev.factline.functions.projector.Projector.ContentionRetries;
import dev.factline.functions.projector.Projector.TransactionShape;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadTable;
import dev.factline.order.OrderDashboard;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a million commands, projected events and queries cost at the on-demand prices of
 * prices.properties, and what 10k and 100k commands a second over a million streams ask of the
 * design (see {@link ScaleModel}). DynamoDB units are counted by {@link CapacityMeter} on the real
 * paths against dynalite; Lambda durations are the warm paths timed here and the cold first
 * invoke measured by the cold-start section.
 */
public final class CostSection implements Section {

    /** The cold-start section's primed first invoke, median over the five functions (benchmarks/results/2026-11-26). */
    static final double COLD_FIRST_INVOKE_MILLIS = 264;
    /** A warm query invocation, as the cold-start section measured it (about 10 ms, benchmarks/results/2026-11-26). */
    static final double WARM_QUERY_MILLIS = 10;
    /** The share of commands a fresh container answers: Lambda keeps containers warm for minutes, so cold is rare under load. */
    static final double COLD_SHARE = 0.01;
    static final double HIT_RATIO = 0.9;
    /** Assumed, not measured here: a DynamoDB transaction of a dozen small items is in flight for some tens of milliseconds. */
    static final double TRANSACTION_IN_FLIGHT_MILLIS = 25;

    @Override
    public String id() {
        return "cost";
    }

    @Override
    public String title() {
        return "Cost and scale model";
    }

    @Override
    public void run(Bench bench) {
        Prices prices = Prices.standard();
        Topology topology = Topology.standard("bench");
        int memory = topology.function(Topology.COMMAND).memoryMegabytes();
        int projectorMemory = topology.function(Topology.PROJECTOR).memoryMegabytes();
        int batchSize = topology.triggerOf(Topology.PROJECTOR).orElseThrow().batchSize();
        int commands = bench.mode().pick(40, 200);
        Command warm;
        Command cold;
        double batchMillis;
        CapacityMeter.Bill batchBill;
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            warm = commands(dynamo, commands, false, memory);
            cold = commands(dynamo, commands, true, memory);
            cold = new Command(cold.writeUnits(), cold.readUnits(), new Invocation(memory, COLD_FIRST_INVOKE_MILLIS));
            OrderRecords orders = OrderRecords.write(dynamo, batchSize / 2);
            List<Double> millis = new ArrayList<>();
            CapacityMeter.Bill last = null;
            for (int run = 0; run < bench.mode().pick(5, 11); run++) {
                CapacityMeter meter = new CapacityMeter();
                try (DynamoDbClient client = dynamo.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build()) {
                    ReadTable readTable = new ReadTable("views-" + UUID.randomUUID());
                    dynamo.createTable(readTable.createTableRequest());
                    Projector projector = Projector.withoutCache(HostedReadModels.STANDARD, client, readTable, orders.eventTable(),
                            Clock.systemUTC(), TransactionShape.BY_TALLY_SHARD, ContentionRetries.IN_ROUNDS);
                    long start = System.nanoTime();
                    Projector.Result result = projector.project(StreamTap.withRecords(orders.records()));
                    millis.add((System.nanoTime() - start) / 1e6);
                    if (!result.problems().isEmpty()) {
                        throw new IllegalStateException("the projector reported " + result.problems());
                    }
                }
                last = meter.bill();
            }
            batchMillis = Stats.median(millis.subList(1, millis.size()));
            batchBill = last;
        }
        bench.count("write units per command, warm", "WRU", warm.writeUnits(), "counted by CapacityMeter over " + commands
                + " deposits through the command function on one warm container", null);
        bench.count("read units per command, cold", "RRU", cold.readUnits(), "counted over " + commands + " deposits, each by a fresh container on an account of 2 events", null);
        bench.count("command duration, warm", "ms", warm.invocation().milliseconds(), "median of " + commands
                + " CommandFunction.handleRequest calls on dynalite here (what Lambda would bill, before rounding)", null);
        // The rows, catalogue entries and dashboard shards (transactional), and the listings index's entries of the listed rows.
        double batchWriteUnits = batchBill.writeUnits() + batchBill.indexWriteUnits();
        bench.count("write units per projected event", "WRU", batchWriteUnits / batchSize, "counted by CapacityMeter over a batch of "
                + orders(batchSize) + ": " + batchBill.transactedItems() + " items in " + batchBill.calls("TransactWriteItems")
                + " transactions (each order's view row and its catalogue entry once, the dashboard shards the orders count in), "
                + batchBill.writeUnits() + " WRU at 2 per KB of each, and " + batchBill.indexWriteUnits() + " WRU of listings index entries "
                + "(a customer's orders, the streams catalogue) at 1 per KB", null);
        bench.count("projector batch duration", "ms", batchMillis, "median projection of one batch of " + orders(batchSize)
                + " on dynalite, a fresh read table each time, the first run left out", null);

        for (Architecture architecture : Architecture.values()) {
            CostModel model = new CostModel(prices, architecture);
            String arch = architecture.name().toLowerCase(java.util.Locale.ROOT);
            String at = " at " + prices.region() + " on-demand prices looked up " + prices.lookedUp() + " (prices.properties)";
            bench.count("$ per million commands, " + arch + ", " + pct(COLD_SHARE) + " cold", "$",
                    model.perMillionCommands(warm, cold, COLD_SHARE), "HTTP API request + Lambda request and GB-s (" + memory
                            + " MB) + the counted units; warm " + ms(warm) + ", cold " + ms(cold) + " (the cold-start section's primed first invoke)" + at, null);
            bench.count("$ per million projected events, " + arch, "$", model.perMillionProjectedEvents(batchSize, batchWriteUnits,
                    batchBill.readUnits(), new Invocation(projectorMemory, batchMillis)), "batches of " + orders(batchSize) + ": "
                    + batchWriteUnits + " WRU and " + batchBill.readUnits() + " RRU counted a batch, its duration above; the "
                    + "stream's reads by a Lambda trigger are free" + at, null);
            bench.count("$ per million queries, " + arch + ", " + pct(HIT_RATIO) + " Redis hits", "$", model.perMillionQueries(HIT_RATIO, 1, 1,
                    new Invocation(memory, WARM_QUERY_MILLIS)), "HTTP API request + a " + WARM_QUERY_MILLIS + " ms invocation + 1 ECPU per GET "
                    + "of a row under 1 KB; a miss reads the row (1 RRU, consistent) and sets it (1 ECPU)" + at, null);
        }

        double unitsPerCommand = (1 - COLD_SHARE) * warm.writeUnits() + COLD_SHARE * cold.writeUnits();
        double readsPerCommand = (1 - COLD_SHARE) * warm.readUnits() + COLD_SHARE * cold.readUnits();
        for (double rate : List.of(10_000.0, 100_000.0)) {
            ScaleModel.Plan plan = ScaleModel.plan(new ScaleModel.Workload(rate, unitsPerCommand, readsPerCommand, batchWriteUnits / batchSize, 600,
                    warm.invocation().milliseconds(), batchMillis, batchSize, 1, OrderDashboard.TALLY.shards(), TRANSACTION_IN_FLIGHT_MILLIS));
            String label = String.format("%,.0f commands/s", rate);
            String how = "ScaleModel over 1M streams, every command an order move (the dashboard's worst case), the counted units and "
                    + "measured durations above, a transaction in flight " + TRANSACTION_IN_FLIGHT_MILLIS + " ms (assumed)";
            bench.count("partitions (and stream shards), " + label, "partitions", plan.partitions(), how, null);
            bench.count("projector ParallelizationFactor needed, " + label, "batches/shard", plan.parallelizationFactor(), how, null);
            bench.count("projector concurrency, " + label, "invocations", plan.projectorConcurrency(), how, null);
            bench.count("dashboard transactions per shard row, " + label, "transactions/s", plan.dashboardTransactionsPerRow(), how, null);
            bench.count("Kinesis shards, " + label, "shards", plan.kinesisShards(), how + "; 600-byte records", null);
            ScaleModel.Load first = plan.firstLimit();
            bench.count("share of the first limit, " + label, "x", first.share(), how + "; the first limit: " + first.limit()
                    + String.format(", full at %,.0f commands/s", plan.commandsPerSecondAtLimit(first)) + "; change: " + first.change(), null);
            plan.loads().forEach(load -> bench.note(label + ": " + load.limit() + String.format(" at %.2f of its limit", load.share())
                    + (load.growsWithLoad() ? String.format(" (full at %,.0f commands/s)", plan.commandsPerSecondAtLimit(load)) : " (per shard: the same at any load)")
                    + "; change: " + load.change()));
        }
        bench.note("Prices are " + prices.region() + " on-demand as prices.properties states them (looked up " + prices.lookedUp()
                + "); edit that file and run ./factline-bench --only cost again. Not priced: Kinesis shard-hours and ElastiCache "
                + "GB-hours (by the hour, not per request: " + prices.kinesisShardHour() + " $ per shard-hour, " + prices.cacheGbHour()
                + " $ per GB-hour), data transfer, CloudWatch, free tiers.");
    }

    /**
     * {@code count} deposits through the HTTP command function: warm, on one container and one
     * account; or cold, each by a fresh container on an account of its own opened before (so a
     * cold load reads a short stream, as snapshots keep every load).
     */
    private static Command commands(LocalDynamo dynamo, int count, boolean cold, int memory) {
        EventTable table = new EventTable("cost-" + UUID.randomUUID());
        dynamo.createTable(table);
        CapacityMeter meter = new CapacityMeter();
        WritePolicy policy = WritePolicy.defaults().withSnapshots(SnapshotPolicy.never());
        try (DynamoDbClient client = dynamo.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build()) {
            DynamoDbEventStore store = new DynamoDbEventStore(client, table, StoreLimits.defaults(), Clock.systemUTC());
            Container container = Container.HTTP.fresh(store, policy);
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < (cold ? count : 1); i++) {
                accounts.add("a-" + UUID.randomUUID());
                container.open(accounts.getLast());
                container.deposit(accounts.getLast(), null);
            }
            CapacityMeter.Bill before = meter.bill();
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Container answering = cold ? Container.HTTP.fresh(store, policy) : container;
                long start = System.nanoTime();
                answering.deposit(accounts.get(cold ? i : 0), null);
                millis.add((System.nanoTime() - start) / 1e6);
            }
            CapacityMeter.Bill after = meter.bill();
            return new Command((after.writeUnits() - before.writeUnits()) / count, (after.readUnits() - before.readUnits()) / count,
                    new Invocation(memory, Stats.median(millis)));
        }
    }

    private static String orders(int batchSize) {
        return batchSize + " records (" + batchSize / 2 + " orders placed, then paid)";
    }

    private static String pct(double share) {
        return Math.round(share * 100) + "%";
    }

    private static String ms(Command command) {
        return String.format("%.1f ms", command.invocation().milliseconds());
    }
}
