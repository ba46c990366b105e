package dev.factline.benchmarks.cost;

import java.util.Comparator;
import java.util.List;

/**
 * What a steady load of commands asks of the deployed design, on paper: DynamoDB partitions and
 * stream shards, the projector's concurrency per shard (ParallelizationFactor), the dashboard's
 * shard rows, Kinesis shards, Lambda concurrency; and each service limit with the share of it the
 * load takes, so the first one met is the one with the largest share. Pure arithmetic on
 * published limits (named in docs/decisions/cost-and-scale.md) and measured or counted inputs.
 */
public final class ScaleModel {

    /** A partition (and so a single item) takes at most 1,000 write units a second and 3,000 read units. */
    static final double PARTITION_WRITE_UNITS = 1_000;
    static final double PARTITION_READ_UNITS = 3_000;
    /** DynamoDB's default on-demand throughput quota per table, write and read units a second (adjustable). */
    static final double TABLE_UNITS_QUOTA = 40_000;
    /** Lambda's largest ParallelizationFactor: concurrent batches per stream shard. */
    static final int MAX_PARALLELIZATION = 10;
    /** A Kinesis shard takes 1,000 records and 1 MiB a second. */
    static final double KINESIS_SHARD_RECORDS = 1_000;
    static final double KINESIS_SHARD_BYTES = 1 << 20;
    /** Lambda's default concurrency per account and region (adjustable). */
    static final double LAMBDA_CONCURRENCY = 1_000;
    /** A transactional write of an item up to 1 KB: 2 write units. */
    private static final double TRANSACTIONAL_WRITE_UNITS = 2;

    private ScaleModel() {
    }

    /**
     * The load and what one unit of it costs: commands a second (one commit, so one stream
     * record, each), the write and read units of a command (the mix of warm and cold), the read
     * table's write units per projected event (its view rows, catalogue entries, listings index
     * entries and dashboard shards, as a counted batch writes them), a commit's record size, a command's and a projector batch's Lambda time, the projector's
     * batch size, the share of commands that move an order (so touch the dashboard), its shards,
     * and how long a transaction is in flight on DynamoDB.
     */
    public record Workload(double commandsPerSecond, double writeUnitsPerCommand, double readUnitsPerCommand,
            double projectedWriteUnitsPerEvent, int recordBytes,
            double commandMillis, double batchMillis, int batchSize, double orderMoveShare, int dashboardShards,
            double transactionInFlightMillis) {

        public Workload {
            if (!(commandsPerSecond > 0) || batchSize < 1 || dashboardShards < 1 || !(batchMillis > 0)
                    || !(orderMoveShare >= 0 && orderMoveShare <= 1)) {
                throw new IllegalArgumentException("a workload needs commands/s > 0, batches of 1 or more, 1 or more shards, "
                        + "a batch time > 0 and an order move share of 0-1");
            }
        }

        public Workload at(double otherCommandsPerSecond) {
            return new Workload(otherCommandsPerSecond, writeUnitsPerCommand, readUnitsPerCommand, projectedWriteUnitsPerEvent, recordBytes,
                    commandMillis, batchMillis, batchSize, orderMoveShare, dashboardShards, transactionInFlightMillis);
        }
    }

    /**
     * One limit: what the load uses of it, its capacity, what to change when the load passes it,
     * and whether its use grows with the load (a per-shard figure does not: shards follow it).
     */
    public record Load(String limit, double used, double capacity, String change, boolean growsWithLoad) {
        public double share() {
            return used / capacity;
        }
    }

    /** What the workload asks for. */
    public record Plan(Workload workload, int partitions, int streamShards, int parallelizationFactor, int projectorConcurrency,
            double dashboardTransactionsPerRow, int kinesisShards, double lambdaConcurrency, List<Load> loads) {

        /** The limit the load takes the largest share of: the first one met as the load grows. */
        public Load firstLimit() {
            return loads.stream().max(Comparator.comparingDouble(Load::share)).orElseThrow();
        }

        /** The commands a second at which {@code load} is full (the model is linear in the load); infinite for a use that does not grow with it. */
        public double commandsPerSecondAtLimit(Load load) {
            return load.growsWithLoad() ? workload.commandsPerSecond() / load.share() : Double.POSITIVE_INFINITY;
        }
    }

    public static Plan plan(Workload load) {
        double writeUnits = load.commandsPerSecond() * load.writeUnitsPerCommand();
        double readUnits = load.commandsPerSecond() * load.readUnitsPerCommand();
        double readTableWriteUnits = load.commandsPerSecond() * load.projectedWriteUnitsPerEvent();
        // Writes spread over partitions by stream id; with a million streams no stream is hot.
        int partitions = (int) Math.max(1, Math.ceil(Math.max(writeUnits / PARTITION_WRITE_UNITS, readUnits / PARTITION_READ_UNITS)));
        // DynamoDB Streams gives each partition at least one shard.
        int streamShards = partitions;
        double recordsPerShard = load.commandsPerSecond() / streamShards;
        double eventsPerInvocationSecond = load.batchSize() / (load.batchMillis() / 1000);
        double wantedParallelization = recordsPerShard / eventsPerInvocationSecond;
        int parallelization = (int) Math.max(1, Math.ceil(wantedParallelization));
        int projectorConcurrency = streamShards * Math.min(parallelization, MAX_PARALLELIZATION);

        // Each batch writes each shard row its orders count in once: a row's transactions are the batches that touch it.
        double batchesPerSecond = load.commandsPerSecond() / load.batchSize();
        double movesPerBatch = load.batchSize() * load.orderMoveShare();
        double shards = load.dashboardShards();
        double rowsTouchedPerBatch = shards * (1 - Math.pow(1 - 1 / shards, movesPerBatch));
        double transactionsPerRow = batchesPerSecond * rowsTouchedPerBatch / shards;
        double rowBusy = transactionsPerRow * load.transactionInFlightMillis() / 1000;

        double kinesisShards = Math.max(load.commandsPerSecond() / KINESIS_SHARD_RECORDS,
                load.commandsPerSecond() * load.recordBytes() / KINESIS_SHARD_BYTES);
        // Little's law: invocations in flight = arrivals a second x seconds each; the publisher and saga run beside the projector.
        double lambdaConcurrency = load.commandsPerSecond() * load.commandMillis() / 1000 + 3.0 * projectorConcurrency;

        List<Load> loads = List.of(
                new Load("dashboard shard row: time held by a transaction in flight", rowBusy, 1,
                        "fewer transactions per row: bigger projector batches (up to 10,000 with a batching window), "
                                + "or the tally out of the view transaction as per-window deltas per stream shard", true),
                new Load("dashboard shard row: write units a second (an item's partition)", transactionsPerRow * TRANSACTIONAL_WRITE_UNITS,
                        PARTITION_WRITE_UNITS, "per-window deltas per stream shard, summed by the query", true),
                new Load("event table: write units a second (default on-demand table quota)", writeUnits, TABLE_UNITS_QUOTA,
                        "ask for a higher table quota and pre-warm the table (warm throughput) before the load", true),
                new Load("read table: write units a second (default on-demand table quota)", readTableWriteUnits, TABLE_UNITS_QUOTA,
                        "ask for a higher table quota and pre-warm it; bigger batches (a batching window) fold more of a stream's "
                                + "events into each of its rows", true),
                new Load("projector: ParallelizationFactor needed per stream shard", wantedParallelization, MAX_PARALLELIZATION,
                        "a cheaper batch (fewer transactions per batch), or more stream shards", false),
                new Load("Lambda: concurrent executions (default account quota)", lambdaConcurrency, LAMBDA_CONCURRENCY,
                        "ask for a higher concurrency quota; reserve the projector's", true));
        return new Plan(load, partitions, streamShards, parallelization, projectorConcurrency, transactionsPerRow,
                (int) Math.max(1, Math.ceil(kinesisShards)), lambdaConcurrency, loads);
    }
}
