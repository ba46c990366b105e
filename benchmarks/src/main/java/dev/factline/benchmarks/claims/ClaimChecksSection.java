package dev.factline.benchmarks.claims;

import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.CapacityMeter;
import dev.factline.benchmarks.CapacityMeter.Bill;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Section;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.S3BlobStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalS3;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A command whose one event carries a 300 KB payload, committed by the DynamoDB event store with
 * claim checks (the payload put into the bucket, the commit holding its claim) and, for
 * comparison, by the same store with its payload limit raised so that the payload stays in the
 * commit, as DynamoDB's 400 KB item would allow. dynalite and s3rver (the local pipeline's S3
 * server, started as {@code ClaimChecksIT} starts it) are real servers over real connections; the
 * DynamoDB client's calls and units are counted by {@link CapacityMeter}, the S3 client's calls by
 * a {@link CallCounter}.
 */
public final class ClaimChecksSection implements Section {

    /** 300 KB, as issue 19 and {@code ClaimChecksIT} put it: 300,000 bytes of UTF-8 JSON. */
    static final int PAYLOAD_BYTES = 300_000;
    private static final String BUCKET = "bench-payloads";
    private static final EventMetadata METADATA = EventMetadata.forCommand("bench");
    /**
     * The inline side's limits: payloads and commits up to 350 KiB (the most {@link StoreLimits}
     * allows for a commit is 390 KiB, under DynamoDB's 400 KB item), so a 300 KB payload fits.
     */
    private static final StoreLimits INLINE_LIMITS = new StoreLimits(350 * 1024, StoreLimits.DEFAULT_MAX_COMMIT_BYTES, Duration.ofHours(24), 100);
    private static final int WARMUP_READS = 5;

    @Override
    public String id() {
        return "claim-checks";
    }

    @Override
    public String title() {
        return "Claim checks: a 300 KB payload in S3";
    }

    @Override
    public void run(Bench bench) {
        int commands = bench.mode().pick(20, 100);
        int reads = bench.mode().pick(60, 300);
        CapacityMeter meter = new CapacityMeter();
        CallCounter s3Calls = new CallCounter();
        try (LocalDynamo dynamo = LocalDynamo.start(); LocalS3 s3 = LocalS3.start(BUCKET);
                DynamoDbClient dynamoClient = dynamo.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build();
                S3Client s3Client = s3.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(s3Calls)).build()) {
            EventTable table = new EventTable("claims-" + UUID.randomUUID());
            // Without its stream: nothing here reads it, and dynalite would keep a copy of every item written.
            dynamo.createTable(table.createTableRequest().toBuilder().streamSpecification((StreamSpecification) null).build());
            World world = new World(dynamoClient, table, s3Client, meter, s3Calls);
            bench.progress("%d commands of a %,d-byte payload a side, then %d reads a side", commands, PAYLOAD_BYTES, reads);
            commits(bench, world, commands);
            reads(bench, world, reads);
        }
        bench.note("The store refuses an inline payload over 64 KiB (StoreLimits.defaults(), 413), so the inline side is the same "
                + "DynamoDbEventStore with its payload limit raised to 350 KiB and no claim checks: the commit item DynamoDB would "
                + "store if the payload stayed in it (its 400 KB item limit allows that). Write units are computed from each PutItem's "
                + "item by DynamoDB's item-size rule (attribute names and values; 1 unit per KB, rounded up), read units from each "
                + "Query's page (1 unit per 4 KB read consistently, at least 1), both by CapacityMeter; ClaimChecksIT's count by "
                + "dynalite's own ReturnConsumedCapacity gave the same 294 and 1 write units.");
        bench.note("Not in the write units: the S3 side. Each claimed commit is one PutObject of the payload before the commit's "
                + "PutItem; each read of a claimed event by a container that has not resolved it yet is one GetObject, whose bytes "
                + "the container checks against the claim's SHA-256 and length, then keeps (16 MiB by digest, ClaimChecks.DEFAULT_CACHE_BYTES). "
                + "A fresh container here shares the harness's S3 client, so the times leave out building it, which a real cold "
                + "container pays once on its first claimed payload (S3BlobStore builds the client on first use).");
    }

    private static void commits(Bench bench, World world, int commands) {
        DynamoDbEventStore claimed = world.claimedStore();
        DynamoDbEventStore inline = world.inlineStore();
        StreamId claimedStream = newStream();
        StreamId inlineStream = newStream();
        Cost claimedCost = Cost.NONE;
        Cost inlineCost = Cost.NONE;
        List<Double> claimedMillis = new ArrayList<>();
        List<Double> inlineMillis = new ArrayList<>();
        // Alternating the sides, each a warm container's command: the version is known, so the commit is the only DynamoDB call.
        for (int version = 0; version < commands; version++) {
            long expected = version;
            NewEvent event = eventOfPayloadBytes(PAYLOAD_BYTES);
            claimedCost = claimedCost.plus(world.costOf(claimedMillis, () -> claimed.append(claimedStream, expected, List.of(event), null)));
            inlineCost = inlineCost.plus(world.costOf(inlineMillis, () -> inline.append(inlineStream, expected, List.of(event), null)));
        }
        String inlineHow = "a " + PAYLOAD_BYTES + "-byte payload's commit by the store with its payload limit raised to 350 KiB and no claim "
                + "checks, units by DynamoDB's item-size rule from the PutItem's item (see the notes); " + inlineCost.described(commands);
        String claimedHow = "the same payload's commit by the store with claim checks (threshold 64 KiB): the payload put into s3rver "
                + "under its digest, the commit holding its claim; " + claimedCost.described(commands);
        bench.count("300 KB payload, inline: write units per command", "WRU/command", inlineCost.writeUnits() / commands, inlineHow, null);
        bench.count("300 KB payload, with its claim check: write units per command", "WRU/command", claimedCost.writeUnits() / commands,
                claimedHow, Limit.floor(1, "floor: 1 write unit, the commit item with the claim in place of the payload is under 1 KB"));
        bench.count("write units inline / with the claim check", "ratio", inlineCost.writeUnits() / claimedCost.writeUnits(),
                "the two figures above, " + Math.round(inlineCost.writeUnits()) + " / " + Math.round(claimedCost.writeUnits()) + " units over "
                        + commands + " commands each", null);
        bench.count("300 KB payload, with its claim check: DynamoDB calls per command", "calls/command",
                (double) claimedCost.dynamoCalls() / commands, claimedHow, Limit.floor(1, "floor: 1 call, the conditional PutItem of the commit"));
        bench.count("300 KB payload, with its claim check: S3 calls per command", "calls/command", (double) claimedCost.s3Calls() / commands,
                claimedHow, Limit.floor(1, "floor: 1 call, the PutObject of the payload, before the commit"));
        bench.count("300 KB payload, inline: DynamoDB calls per command", "calls/command", (double) inlineCost.dynamoCalls() / commands,
                inlineHow, Limit.floor(1, "floor: 1 call, the conditional PutItem of the commit"));
        bench.percentile("300 KB payload, with its claim check: commit latency p50", "ms", 50, claimedMillis,
                "each append timed around DynamoDbEventStore.append (PutObject, then PutItem), alternating with the inline side", null);
        bench.percentile("300 KB payload, inline: commit latency p50", "ms", 50, inlineMillis,
                "each append timed around DynamoDbEventStore.append (one PutItem of the 300 KB item), alternating with the claimed side", null);
    }

    private static void reads(Bench bench, World world, int reads) {
        NewEvent event = eventOfPayloadBytes(PAYLOAD_BYTES);
        StreamId claimedStream = newStream();
        StreamId inlineStream = newStream();
        world.claimedStore().append(claimedStream, 0, List.of(event), null);
        world.inlineStore().append(inlineStream, 0, List.of(event), null);
        for (int i = 0; i < WARMUP_READS; i++) {
            world.claimedStore().load(claimedStream);
            world.inlineStore().load(inlineStream);
        }
        List<Double> freshMillis = new ArrayList<>();
        List<Double> cachedMillis = new ArrayList<>();
        List<Double> addedMillis = new ArrayList<>();
        List<Double> inlineMillis = new ArrayList<>();
        Cost fresh = Cost.NONE;
        Cost cached = Cost.NONE;
        Cost inline = Cost.NONE;
        DynamoDbEventStore inlineStore = world.inlineStore();
        for (int i = 0; i < reads; i++) {
            // Its claim checks are new, so their cache is empty: a container that has not met this payload yet.
            DynamoDbEventStore container = world.claimedStore();
            int before = freshMillis.size();
            if (i % 2 == 0) {
                inline = inline.plus(world.readOf(inlineMillis, () -> inlineStore.load(inlineStream), event));
            }
            fresh = fresh.plus(world.readOf(freshMillis, () -> container.load(claimedStream), event));
            cached = cached.plus(world.readOf(cachedMillis, () -> container.load(claimedStream), event));
            if (i % 2 == 1) {
                inline = inline.plus(world.readOf(inlineMillis, () -> inlineStore.load(inlineStream), event));
            }
            addedMillis.add(freshMillis.get(before) - cachedMillis.get(before));
        }
        String freshHow = "a load of a stream whose one event is the claimed 300 KB payload, by a container that has not resolved it "
                + "(fresh claim checks, empty cache): the Query of the commit, then the GetObject and the SHA-256 check; " + fresh.described(reads);
        String cachedHow = "the same container's next load of the same stream, the payload cached by its digest; " + cached.described(reads);
        String inlineHow = "a load of a stream whose one event holds the same payload inline (the raised-limit store); "
                + inline.described(reads);
        bench.count("read of the claimed event, new to the container: DynamoDB calls", "calls/read", (double) fresh.dynamoCalls() / reads,
                freshHow, Limit.floor(1, "floor: 1 call, the Query of the stream"));
        bench.count("read of the claimed event, new to the container: S3 calls", "calls/read", (double) fresh.s3Calls() / reads, freshHow,
                Limit.floor(1, "floor: 1 call, the GetObject of the payload"));
        // Its floor is 0 (the payload is cached by its digest), which a Limit cannot hold: the name says it.
        bench.count("read of the claimed event, cached: S3 calls (floor: 0)", "calls/read", (double) cached.s3Calls() / reads, cachedHow, null);
        bench.count("read of the claimed event: read units", "RRU/read", fresh.readUnits() / reads, freshHow,
                Limit.floor(1, "floor: 1 read unit, a consistent Query's least"));
        bench.count("read of the same event inline: read units", "RRU/read", inline.readUnits() / reads, inlineHow, null);
        bench.percentile("read of the claimed event, new to the container: load p50", "ms", 50, freshMillis,
                "each load timed around DynamoDbEventStore.load; " + freshHow, null);
        bench.percentile("read of the claimed event, cached: load p50", "ms", 50, cachedMillis,
                "each load timed around DynamoDbEventStore.load; " + cachedHow, null);
        bench.percentile("time resolving the claim adds to a read (GetObject + SHA-256 check) p50", "ms", 50, addedMillis,
                "per sample, the new-to-the-container load less the same container's cached load right after it; their median", null);
        bench.percentile("read of the same event inline: load p50", "ms", 50, inlineMillis,
                "each load timed around DynamoDbEventStore.load, taken before the claimed pair in even samples and after it in odd ones; "
                        + inlineHow, null);
    }

    /** One event whose payload is {@code bytes} of UTF-8 JSON, text of its own (so each has a digest of its own). */
    static NewEvent eventOfPayloadBytes(int bytes) {
        String opening = "{\"description\":\"" + UUID.randomUUID() + " ";
        String closing = "\"}";
        StringBuilder payload = new StringBuilder(bytes).append(opening);
        for (int i = 0; payload.length() < bytes - closing.length(); i++) {
            payload.append(Integer.toString(i, 36)).append(' ');
        }
        payload.setLength(bytes - closing.length());
        payload.append(closing);
        return new NewEvent(UUID.randomUUID(), "AttachmentAdded", 1, Instant.now(), payload.toString(), METADATA);
    }

    private static StreamId newStream() {
        return StreamId.of("attachment", "a-" + UUID.randomUUID());
    }

    /** What some work cost: DynamoDB calls and units, S3 calls, by operation for the method texts. */
    private record Cost(int dynamoCalls, double writeUnits, double readUnits, int s3Calls, List<String> operations) {

        static final Cost NONE = new Cost(0, 0, 0, 0, List.of());

        Cost plus(Cost other) {
            List<String> all = new ArrayList<>(operations);
            all.addAll(other.operations);
            return new Cost(dynamoCalls + other.dynamoCalls, writeUnits + other.writeUnits, readUnits + other.readUnits,
                    s3Calls + other.s3Calls, all);
        }

        String described(int times) {
            return times + " of them made " + tally() + ", " + Math.round(writeUnits) + " write units and " + Math.round(readUnits) + " read units";
        }

        private String tally() {
            Map<String, Integer> counts = new TreeMap<>();
            operations.forEach(operation -> counts.merge(operation, 1, Integer::sum));
            return counts.toString();
        }
    }

    /** The counted clients, and the two stores over them. */
    private record World(DynamoDbClient dynamo, EventTable table, S3Client s3, CapacityMeter meter, CallCounter s3Calls) {

        /** A store with claim checks of their own (an empty cache), as a container builds them; the S3 client is shared. */
        DynamoDbEventStore claimedStore() {
            ClaimChecks claims = ClaimChecks.in(new S3BlobStore(BUCKET, () -> s3), StoreLimits.DEFAULT_MAX_PAYLOAD_BYTES,
                    ClaimChecks.DEFAULT_MAX_PAYLOAD_BYTES, ClaimChecks.DEFAULT_CACHE_BYTES);
            return new DynamoDbEventStore(dynamo, table, StoreLimits.defaults(), Clock.systemUTC()).withClaimChecks(claims);
        }

        DynamoDbEventStore inlineStore() {
            return new DynamoDbEventStore(dynamo, table, INLINE_LIMITS, Clock.systemUTC());
        }

        /** Runs {@code work}, adds its time in milliseconds to {@code millis}, and answers what it cost. */
        Cost costOf(List<Double> millis, Runnable work) {
            Bill before = meter.bill();
            s3Calls.reset();
            long start = System.nanoTime();
            work.run();
            millis.add((System.nanoTime() - start) / 1e6);
            Bill after = meter.bill();
            List<String> operations = new ArrayList<>();
            after.calls().forEach((operation, count) -> {
                for (int i = before.calls(operation); i < count; i++) {
                    operations.add(operation);
                }
            });
            s3Calls.calls().forEach((operation, count) -> {
                for (int i = 0; i < count; i++) {
                    operations.add("S3 " + operation);
                }
            });
            return new Cost(after.totalCalls() - before.totalCalls(), after.writeUnits() - before.writeUnits(),
                    after.readUnits() - before.readUnits(), s3Calls.total(), operations);
        }

        /** {@link #costOf} for a load, which must answer {@code expected}'s payload: a read that does not is no measurement. */
        Cost readOf(List<Double> millis, Supplier<List<RecordedEvent>> load, NewEvent expected) {
            List<List<RecordedEvent>> loaded = new ArrayList<>(1);
            Cost cost = costOf(millis, () -> loaded.add(load.get()));
            List<RecordedEvent> events = loaded.getFirst();
            if (events.size() != 1 || !events.getFirst().payload().equals(expected.payload())) {
                throw new IllegalStateException("a load did not answer the payload appended: " + events.size() + " events");
            }
            return cost;
        }
    }
}
