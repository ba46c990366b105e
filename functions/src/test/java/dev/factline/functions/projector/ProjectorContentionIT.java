package dev.factline.functions.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.ViewCache;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderLine;
import dev.factline.order.Orders;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Lambda's highest ParallelizationFactor on the real dynalite and its transactions add-on, which
 * cancels a transaction meeting another in flight as DynamoDB does: ten projector invocations at
 * once, each with its own client, project their own orders, and every order's move counts in one
 * of the dashboard's 8 shard rows, which all ten write. Their transactions cancel each other; the
 * projector retries them within the invocation, so few batches go back to Lambda, and none of the
 * retries counts a move twice.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectorContentionIT {

    private static final int INVOCATIONS = 10;
    private static final int BATCHES_PER_INVOCATION = 2;
    /** Lambda delivers a reported batch again until it goes through; a run that needs this many is broken. */
    private static final int MAX_DELIVERIES = 20;

    private final ReadSide side = new ReadSide();

    @AfterEach
    void close() {
        side.close();
    }

    @Test
    void ten_invocations_at_once_cancel_each_other_yet_every_tally_ends_exact_and_at_most_one_batch_in_ten_is_delivered_again()
            throws Exception {
        int batchSize = Topology.standard("it").triggerOf(Topology.PROJECTOR).orElseThrow().batchSize();
        // Two records per order: placed, then paid.
        int orders = INVOCATIONS * BATCHES_PER_INVOCATION * batchSize / 2;
        List<String> orderIds = IntStream.range(0, orders).mapToObj(i -> "o-" + UUID.randomUUID()).toList();
        placeAndPay(orderIds);
        List<List<DynamodbStreamRecord>> lanes = lanesOf(side.tap.drainAll().getRecords(), orderIds);
        AtomicInteger conflicts = new AtomicInteger();
        ExecutionInterceptor conflictCounter = new ExecutionInterceptor() {
            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                if (context.exception() instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()
                        && cancelled.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()))) {
                    conflicts.incrementAndGet();
                }
            }
        };
        List<DynamoDbClient> clients = new ArrayList<>();
        int redeliveries = 0;
        try (ExecutorService invocations = Executors.newFixedThreadPool(INVOCATIONS)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> running = new ArrayList<>();
            for (List<DynamodbStreamRecord> lane : lanes) {
                DynamoDbClient client = ReadSide.DYNAMO.clientBuilder()
                        .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(conflictCounter)).build();
                clients.add(client);
                ProjectorFunction projector = side.projector(client, ViewCache.none(), ProjectorMetrics.none());
                running.add(invocations.submit(() -> {
                    start.await();
                    return project(projector, lane, batchSize);
                }));
            }
            start.countDown();
            for (Future<Integer> lane : running) {
                redeliveries += lane.get();
            }
        } finally {
            clients.forEach(DynamoDbClient::close);
        }

        assertThat(conflicts.get()).as("transactions the add-on cancelled for another in flight").isPositive();
        assertThat(side.dashboard()).isEqualTo(side.replayedDashboard(orderIds));
        assertThat(orderIds).allSatisfy(id -> assertThat(side.row(Orders.TYPE.streamId(id)).version()).isEqualTo(2));
        assertThat(redeliveries).as("batches delivered again, of %d", INVOCATIONS * BATCHES_PER_INVOCATION)
                .isLessThanOrEqualTo(INVOCATIONS * BATCHES_PER_INVOCATION / 10);
    }

    private void placeAndPay(List<String> orderIds) throws Exception {
        List<Callable<Void>> commands = orderIds.stream().<Callable<Void>>map(id -> () -> {
            side.order(id, new PlaceOrder("customer-" + id, "a-" + id, Currency.getInstance("EUR"),
                    List.of(new OrderLine("sku-1", 1, Money.of(250, "EUR")))));
            side.order(id, new MarkOrderPaid(Money.of(250, "EUR")));
            return null;
        }).toList();
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            for (Future<Void> command : writers.invokeAll(commands)) {
                command.get();
            }
        }
    }

    /** The records split by order over the invocations, as Lambda keeps a partition key in one batch at a time. */
    private static List<List<DynamodbStreamRecord>> lanesOf(List<DynamodbStreamRecord> records, List<String> orderIds) {
        Map<String, Integer> laneOfStream = new LinkedHashMap<>();
        for (int i = 0; i < orderIds.size(); i++) {
            laneOfStream.put(Orders.TYPE.streamId(orderIds.get(i)).toString(), i % INVOCATIONS);
        }
        List<List<DynamodbStreamRecord>> lanes = new ArrayList<>();
        IntStream.range(0, INVOCATIONS).forEach(lane -> lanes.add(new ArrayList<>()));
        for (DynamodbStreamRecord record : records) {
            lanes.get(laneOfStream.get(record.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS())).add(record);
        }
        return lanes;
    }

    /** A lane's records in batches, a reported batch delivered again from the record it names, as Lambda does: the batches delivered again. */
    private static int project(ProjectorFunction projector, List<DynamodbStreamRecord> records, int batchSize) {
        int redeliveries = 0;
        for (int from = 0; from < records.size(); from += batchSize) {
            List<DynamodbStreamRecord> batch = records.subList(from, Math.min(records.size(), from + batchSize));
            for (int delivery = 1; ; delivery++) {
                assertThat(delivery).as("deliveries of one batch").isLessThanOrEqualTo(MAX_DELIVERIES);
                List<StreamsEventResponse.BatchItemFailure> failures = projector.handleRequest(StreamTap.withRecords(batch), null)
                        .getBatchItemFailures();
                if (failures.isEmpty()) {
                    break;
                }
                batch = from(batch, failures.getFirst().getItemIdentifier());
                redeliveries++;
            }
        }
        return redeliveries;
    }

    private static List<DynamodbStreamRecord> from(List<DynamodbStreamRecord> batch, String sequenceNumber) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).getDynamodb().getSequenceNumber().equals(sequenceNumber)) {
                return batch.subList(i, batch.size());
            }
        }
        throw new AssertionError("the projector reported " + sequenceNumber + ", which is not in its batch");
    }
}
