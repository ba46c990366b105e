package dev.factline.benchmarks.contention;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.functions.projector.Projector;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.TallyRows;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderDashboard;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * One projection of the order records by {@code lanes} projectors at once, each with its own
 * client (a Lambda container of its own), into a fresh read table: what it took, how many
 * transactions it sent, how many were cancelled for a conflict, and how many batches had to be
 * delivered again. The dashboard is checked at the end.
 */
record ConcurrentProjection(int events, long nanos, int transactions, int conflicts, int redeliveries) {

    /** Lambda retries a reported batch until it succeeds or the records expire; a run that needs more than this is broken. */
    private static final int MAX_DELIVERIES = 50;

    static ConcurrentProjection run(LocalDynamo dynamo, OrderRecords orders, int lanes, int batchSize, ContentionSection.Variant variant)
            throws InterruptedException {
        ReadTable readTable = new ReadTable("views-" + UUID.randomUUID());
        dynamo.createTable(readTable.createTableRequest());
        List<List<DynamodbStreamRecord>> byLane = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            byLane.add(new ArrayList<>());
        }
        for (DynamodbStreamRecord record : orders.records()) {
            String stream = record.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS();
            byLane.get(laneOf(stream, lanes)).add(record);
        }
        ConflictMeter meter = new ConflictMeter();
        List<DynamoDbClient> clients = new ArrayList<>();
        List<Future<Integer>> running = new ArrayList<>();
        long start;
        long end;
        try (ExecutorService pool = Executors.newFixedThreadPool(lanes)) {
            for (int lane = 0; lane < lanes; lane++) {
                DynamoDbClient client = dynamo.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build();
                clients.add(client);
            }
            start = System.nanoTime();
            for (int lane = 0; lane < lanes; lane++) {
                Projector projector = Projector.withoutCache(HostedReadModels.STANDARD, clients.get(lane), readTable, orders.eventTable(),
                        Clock.systemUTC(), variant.shape(), variant.retries());
                List<DynamodbStreamRecord> records = byLane.get(lane);
                running.add(pool.submit(() -> project(projector, records, batchSize)));
            }
            int redeliveries = 0;
            for (Future<Integer> lane : running) {
                redeliveries += lane.get();
            }
            end = System.nanoTime();
            requireExactDashboard(clients.getFirst(), readTable, orders.orders());
            // A record is one command's commit, one event here, however many read models it is applied to.
            return new ConcurrentProjection(orders.records().size(), end - start, meter.transactions(), meter.conflicts(), redeliveries);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("a lane failed", failed.getCause());
        } finally {
            clients.forEach(DynamoDbClient::close);
        }
    }

    /**
     * The lane of a stream by a hash of its own (MD5, as DynamoDB and Kinesis hash partition keys),
     * not String.hashCode: the dashboard picks a row's shard by String.hashCode modulo 8, so lanes
     * by the same hash would each write only some shards and never meet.
     */
    private static int laneOf(String stream, int lanes) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(stream.getBytes(StandardCharsets.UTF_8));
            return Math.floorMod(ByteBuffer.wrap(digest).getInt(), lanes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** Projects a lane's records in batches, each reported batch delivered again from its failed record, as Lambda does: the redeliveries. */
    private static int project(Projector projector, List<DynamodbStreamRecord> records, int batchSize) {
        int redeliveries = 0;
        for (int from = 0; from < records.size(); from += batchSize) {
            List<DynamodbStreamRecord> batch = records.subList(from, Math.min(records.size(), from + batchSize));
            for (int delivery = 1; !batch.isEmpty(); delivery++) {
                if (delivery > MAX_DELIVERIES) {
                    throw new IllegalStateException("a batch still failed after " + MAX_DELIVERIES + " deliveries");
                }
                Projector.Result result = projector.project(StreamTap.withRecords(batch));
                List<StreamsEventResponse.BatchItemFailure> failures = result.response().getBatchItemFailures();
                if (failures.isEmpty()) {
                    break;
                }
                String failedAt = failures.getFirst().getItemIdentifier();
                int index = indexOf(batch, failedAt);
                batch = batch.subList(index, batch.size());
                redeliveries++;
            }
        }
        return redeliveries;
    }

    private static int indexOf(List<DynamodbStreamRecord> batch, String sequenceNumber) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).getDynamodb().getSequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        throw new IllegalStateException("the projector reported " + sequenceNumber + ", which is not in its batch");
    }

    /** Every order paid, none left placed, the paid total exact: no move counted twice or lost. */
    private static void requireExactDashboard(DynamoDbClient client, ReadTable readTable, int orders) {
        List<Map<String, AttributeValue>> keys = OrderDashboard.TALLY.shardKeys().stream().map(ViewRow::keyOf).toList();
        List<Map<String, AttributeValue>> rows = client.batchGetItem(get -> get.requestItems(
                Map.of(readTable.name(), KeysAndAttributes.builder().keys(keys).consistentRead(true).build())))
                .responses().getOrDefault(readTable.name(), List.of());
        SortedMap<String, BigInteger> counters = TallyRows.sum(rows);
        BigInteger paid = counters.getOrDefault("orders_PAID", BigInteger.ZERO);
        BigInteger placed = counters.getOrDefault("orders_PLACED", BigInteger.ZERO);
        BigInteger total = counters.getOrDefault("total_PAID_EUR", BigInteger.ZERO);
        if (paid.intValue() != orders || placed.signum() != 0 || !total.equals(BigInteger.valueOf(OrderRecords.TOTAL.minorUnits() * orders))) {
            throw new IllegalStateException("the dashboard is not exact after the run: " + counters + " for " + orders + " paid orders");
        }
    }

    double eventsPerSecond() {
        return events * 1e9 / nanos;
    }

    double conflictsPerCommit() {
        int committed = transactions - conflicts;
        return committed == 0 ? Double.NaN : (double) conflicts / committed;
    }

    String summary() {
        return events + " events in " + nanos / 1_000_000 + " ms, " + transactions + " transactions sent, " + conflicts
                + " cancelled for a conflict, " + redeliveries + " batches delivered again";
    }
}
