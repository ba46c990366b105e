package dev.factline.benchmarks.cost;

import java.util.Objects;

/**
 * Dollars per million commands, projected events and queries, from what one of each costs:
 * DynamoDB request units counted, Lambda time measured (billed by the millisecond, rounded up),
 * at {@link Prices}. Pure arithmetic; the cost section feeds it counts and durations.
 */
public record CostModel(Prices prices, Architecture architecture) {

    private static final double MILLION = 1e6;

    public enum Architecture { ARM64, X86 }

    public CostModel {
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** One Lambda invocation: its memory and its billed duration before rounding. */
    public record Invocation(int memoryMegabytes, double milliseconds) {
        public Invocation {
            if (memoryMegabytes < 128 || memoryMegabytes > 10_240 || !(milliseconds >= 0)) {
                throw new IllegalArgumentException("an invocation has 128-10,240 MB and a duration of 0 ms or more, not "
                        + memoryMegabytes + " MB and " + milliseconds + " ms");
            }
        }

        /** Lambda bills the duration rounded up to the millisecond, at the configured memory. */
        double gbSeconds() {
            return memoryMegabytes / 1024.0 * Math.ceil(milliseconds) / 1000.0;
        }
    }

    /** What one command costs beyond its HTTP API request: its DynamoDB units and its invocation. */
    public record Command(double writeUnits, double readUnits, Invocation invocation) {
    }

    /** The dollars of one invocation: its request and its GB-seconds. */
    public double invocation(Invocation invocation) {
        double gbSecond = architecture == Architecture.ARM64 ? prices.lambdaArmGbSecond() : prices.lambdaX86GbSecond();
        return prices.lambdaRequest() + invocation.gbSeconds() * gbSecond;
    }

    double units(double writeUnits, double readUnits) {
        return writeUnits * prices.writeRequestUnit() + readUnits * prices.readRequestUnit();
    }

    /** Per million commands over the HTTP API, {@code coldShare} of them on a fresh container (0-1). */
    public double perMillionCommands(Command warm, Command cold, double coldShare) {
        if (!(coldShare >= 0 && coldShare <= 1)) {
            throw new IllegalArgumentException("the cold share is 0-1, not " + coldShare);
        }
        return MILLION * ((1 - coldShare) * command(warm) + coldShare * command(cold));
    }

    private double command(Command command) {
        return prices.httpApiRequest() + invocation(command.invocation()) + units(command.writeUnits(), command.readUnits());
    }

    /**
     * Per million events projected in batches of {@code eventsPerBatch}, a batch costing its
     * invocation and its counted units (the stream's reads by a Lambda trigger are free).
     */
    public double perMillionProjectedEvents(int eventsPerBatch, double writeUnitsPerBatch, double readUnitsPerBatch, Invocation batch) {
        if (eventsPerBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one event, not " + eventsPerBatch);
        }
        return MILLION * (invocation(batch) + units(writeUnitsPerBatch, readUnitsPerBatch)) / eventsPerBatch;
    }

    /**
     * Per million queries over the HTTP API: each costs its invocation and a Redis GET of the row
     * ({@code ecpusPerLookup}); the {@code 1 - hitRatio} that Redis misses read the row from
     * DynamoDB ({@code readUnitsPerMiss}) and write it back to Redis (as many ECPUs again).
     */
    public double perMillionQueries(double hitRatio, double ecpusPerLookup, double readUnitsPerMiss, Invocation query) {
        if (!(hitRatio >= 0 && hitRatio <= 1)) {
            throw new IllegalArgumentException("the hit ratio is 0-1, not " + hitRatio);
        }
        double miss = units(0, readUnitsPerMiss) + ecpusPerLookup * prices.cacheEcpu();
        return MILLION * (prices.httpApiRequest() + invocation(query) + ecpusPerLookup * prices.cacheEcpu() + (1 - hitRatio) * miss);
    }

    /** Per million events published to Kinesis in PutRecords of {@code recordsPerCall}: the publisher's invocations and PUT payload units (shard-hours are by the hour, see {@link ScaleModel}). */
    public double perMillionPublishedEvents(int recordsPerCall, double payloadUnitsPerRecord, Invocation batch) {
        if (recordsPerCall < 1) {
            throw new IllegalArgumentException("a call holds at least one record, not " + recordsPerCall);
        }
        return MILLION * (invocation(batch) / recordsPerCall + payloadUnitsPerRecord * prices.kinesisPutPayloadUnit());
    }
}
