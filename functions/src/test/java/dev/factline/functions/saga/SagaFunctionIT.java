package dev.factline.functions.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.AccountDebited;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountRefunded;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.eventsourcing.ForwardingEventStore;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.InlineWrite;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.StreamTap;
import dev.factline.money.Money;
import dev.factline.order.OrderState;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * The saga function on dynalite, fed the event table's stream as Lambda delivers it
 * ({@link StreamTap}) until no new record comes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaFunctionIT {

    private final PaymentWorld world = new PaymentWorld();
    private final List<SagaBatch> batches = Collections.synchronizedList(new ArrayList<>());
    private final SagaMetrics metrics = batches::add;

    @AfterEach
    void close() {
        world.close();
    }

    @Nested
    class Journeys {

        @Test
        void an_order_the_account_can_pay_is_paid() {
            world.open("a-1");
            world.deposit("a-1", 5_000);
            RecordedEvent placed = world.place("o-1", "a-1", 1_250).orElseThrow().events().getFirst();

            world.deliverUntilQuiet(world.saga(metrics), 100, 1);

            assertThat(world.orderState("o-1")).isInstanceOfSatisfying(OrderState.Paid.class,
                    paid -> assertThat(paid.amountPaid()).isEqualTo(Money.of(1_250, "EUR")));
            assertThat(world.balance("a-1")).isEqualTo(Money.of(3_750, "EUR"));
            RecordedEvent debited = world.accountHistory("a-1").getLast();
            assertThat(debited.type()).isEqualTo("AccountDebited");
            assertThat(debited.metadata().commandId()).isEqualTo("saga-" + placed.eventId());
            assertThat(debited.metadata().causationId()).isEqualTo(placed.eventId().toString());
            assertThat(debited.metadata().correlationId()).isEqualTo(placed.metadata().correlationId());
            assertThat(batches).allSatisfy(batch -> assertThat(batch.failedRecords()).isZero());
        }

        @Test
        void an_order_the_account_cannot_pay_is_cancelled_with_the_reason_and_no_money_moves() {
            world.open("a-1");
            world.deposit("a-1", 1_000);
            world.place("o-1", "a-1", 1_250);

            world.deliverUntilQuiet(world.saga(metrics), 100, 1);

            assertThat(world.orderState("o-1")).isInstanceOfSatisfying(OrderState.Cancelled.class, cancelled -> {
                assertThat(cancelled.reason()).isEqualTo("payment declined: insufficient funds");
                assertThat(cancelled.refund()).isNull();
            });
            assertThat(world.balance("a-1")).isEqualTo(Money.of(1_000, "EUR"));
            assertThat(world.accountEvents("a-1")).extracting(event -> event.getClass().getSimpleName())
                    .containsExactly("AccountOpened", "MoneyDeposited", "DebitDeclined");
        }

        @Test
        void a_paid_order_cancelled_by_its_customer_is_refunded() {
            world.open("a-1");
            world.deposit("a-1", 5_000);
            world.place("o-1", "a-1", 1_250);
            SagaFunction saga = world.saga(metrics);
            world.deliverUntilQuiet(saga, 100, 1);

            world.cancelByCustomer("o-1");
            world.deliverUntilQuiet(saga, 100, 1);

            assertThat(world.orderState("o-1")).isInstanceOf(OrderState.Cancelled.class);
            assertThat(world.refundsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.balance("a-1")).isEqualTo(Money.of(5_000, "EUR"));
        }

        @Test
        void a_debit_for_an_order_cancelled_meanwhile_is_a_refusal_that_is_refunded_not_a_failure() {
            world.open("a-1");
            world.deposit("a-1", 5_000);
            world.place("o-1", "a-1", 1_250);
            SagaFunction saga = world.saga(metrics);
            // The saga debits the account (OrderPlaced), then the customer cancels before it marks the order paid.
            StreamsEventResponse first = saga.handleRequest(world.tap.next(100), null);
            world.cancelByCustomer("o-1");

            world.deliverUntilQuiet(saga, 100, 1);

            assertThat(first.getBatchItemFailures()).isEmpty();
            assertThat(batches).allSatisfy(batch -> assertThat(batch.failedRecords()).isZero());
            assertThat(batches.stream().mapToInt(SagaBatch::commandsRefused).sum()).isEqualTo(1);
            assertThat(batches.stream().mapToInt(SagaBatch::compensations).sum()).isEqualTo(1);
            assertThat(world.orderState("o-1")).isInstanceOfSatisfying(OrderState.Cancelled.class,
                    cancelled -> assertThat(cancelled.reason()).isEqualTo("changed my mind"));
            assertThat(world.debitsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.refundsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.balance("a-1")).isEqualTo(Money.of(5_000, "EUR"));
        }
    }

    @Nested
    class Redelivery {

        @Test
        void every_record_delivered_twice_and_every_batch_replayed_debit_once_per_order_and_refund_once_per_paid_then_cancelled_order() {
            world.open("a-1");
            world.open("a-2");
            world.deposit("a-1", 4_000);
            world.deposit("a-2", 2_500);
            List<String> orders = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                String order = "o-" + i;
                orders.add(order);
                world.place(order, i % 2 == 0 ? "a-2" : "a-1", 700 + 100 * i);
            }
            SagaFunction saga = world.saga(metrics);
            List<DynamodbEvent> delivered = new ArrayList<>(world.deliverUntilQuiet(saga, 7, 2));
            List<String> cancelledAfterPayment = new ArrayList<>();
            for (String order : orders) {
                if (world.orderState(order) instanceof OrderState.Paid && cancelledAfterPayment.size() < 3) {
                    world.cancelByCustomer(order);
                    cancelledAfterPayment.add(order);
                }
            }
            delivered.addAll(world.deliverUntilQuiet(saga, 7, 2));
            int issuedBeforeReplay = batches.stream().mapToInt(SagaBatch::commandsIssued).sum();

            // Lambda replays batches (a new container, a re-read shard): every one again, in another container.
            SagaFunction another = world.saga(metrics);
            delivered.forEach(batch -> assertThat(another.handleRequest(batch, null).getBatchItemFailures()).isEmpty());
            another.handleRequest(StreamTap.withRecords(world.allRecords()), null);

            assertThat(batches.stream().mapToInt(SagaBatch::commandsIssued).sum()).isEqualTo(issuedBeforeReplay);
            assertThat(batches.stream().mapToInt(SagaBatch::commandsReplayed).sum()).isGreaterThan(issuedBeforeReplay);
            assertThat(cancelledAfterPayment).hasSize(3);
            long paidTotals = 0;
            for (String order : orders) {
                String account = order.endsWith("2") || order.endsWith("4") || order.endsWith("6") || order.endsWith("8") ? "a-2" : "a-1";
                OrderState state = world.orderState(order);
                if (state instanceof OrderState.Paid paid) {
                    paidTotals += paid.amountPaid().minorUnits();
                    assertThat(world.debitsOf(account, order)).as(order).isEqualTo(1);
                } else {
                    assertThat(state).as(order).isInstanceOf(OrderState.Cancelled.class);
                    assertThat(world.debitsOf(account, order)).as(order).isLessThanOrEqualTo(1);
                }
                assertThat(world.refundsOf(account, order)).as(order).isEqualTo(cancelledAfterPayment.contains(order) ? 1 : 0);
            }
            long balances = world.balance("a-1").minorUnits() + world.balance("a-2").minorUnits();
            assertThat(balances).isEqualTo(4_000 + 2_500 - paidTotals);
            assertThat(world.accountEvents("a-1").stream().filter(AccountDebited.class::isInstance).count()
                    + world.accountEvents("a-2").stream().filter(AccountDebited.class::isInstance).count())
                    .isEqualTo(orders.stream().filter(o -> !(world.orderState(o) instanceof OrderState.Cancelled c) || c.refund() != null).count());
        }

        @Test
        void a_store_failure_reports_its_record_other_streams_carry_on_and_the_redelivery_completes() {
            world.open("a-1");
            world.open("a-2");
            world.deposit("a-1", 5_000);
            world.deposit("a-2", 5_000);
            world.tap.drain(100);
            world.place("o-2", "a-2", 1_000);
            world.place("o-1", "a-1", 1_000);
            AtomicBoolean down = new AtomicBoolean(true);
            SagaFunction failing = world.saga(new ForwardingEventStore(world.store) {
                @Override
                public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    if (down.get() && streamId.equals(PaymentWorld.account("a-2"))) {
                        throw new EventStoreUnavailableException("could not append to " + streamId + ": throttled", new RuntimeException("test"));
                    }
                    return super.append(streamId, expectedVersion, events, idempotency, inline);
                }
            }, metrics);
            DynamodbEvent batch = world.tap.next(100);
            String placedO2 = batch.getRecords().getFirst().getDynamodb().getSequenceNumber();

            StreamsEventResponse response = failing.handleRequest(batch, null);

            assertThat(response.getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo(placedO2));
            assertThat(world.debitsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.debitsOf("a-2", "o-2")).isZero();

            down.set(false);
            world.tap.moveTo(ShardIteratorType.AT_SEQUENCE_NUMBER, placedO2);
            world.deliverUntilQuiet(failing, 100, 1);

            assertThat(world.orderState("o-1")).isInstanceOf(OrderState.Paid.class);
            assertThat(world.orderState("o-2")).isInstanceOf(OrderState.Paid.class);
            assertThat(world.debitsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.balance("a-1")).isEqualTo(Money.of(4_000, "EUR"));
            assertThat(world.balance("a-2")).isEqualTo(Money.of(4_000, "EUR"));
        }
    }

    @Nested
    class Poison_and_time {

        @Test
        void an_unreadable_commit_is_reported_and_stops_only_its_own_stream() {
            world.open("a-1");
            world.deposit("a-1", 5_000);
            world.tap.drain(100);
            world.place("o-2", "a-1", 1_000);
            world.place("o-1", "a-1", 1_000);
            List<ObjectNode> records = world.tap.nextRecords(100);
            ((ObjectNode) records.getFirst().path("dynamodb").path("NewImage")).remove("events");
            String damaged = records.getFirst().path("dynamodb").path("SequenceNumber").asText();

            StreamsEventResponse response = world.saga(metrics).handleRequest(StreamTap.fromJson(StreamTap.eventJson(records)), null);

            assertThat(response.getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo(damaged));
            assertThat(world.debitsOf("a-1", "o-1")).isEqualTo(1);
            assertThat(world.debitsOf("a-1", "o-2")).isZero();
            assertThat(batches).singleElement().satisfies(batch -> assertThat(batch.unreadableRecords()).isEqualTo(1));
        }

        @Test
        void a_batch_short_of_time_starts_nothing_and_reports_its_first_record() {
            world.open("a-1");
            world.deposit("a-1", 5_000);
            world.place("o-1", "a-1", 1_000);
            DynamodbEvent batch = world.tap.next(100);
            Context tenSecondsLeft = (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, arguments) -> method.getName().equals("getRemainingTimeInMillis") ? 10_000 : null);

            StreamsEventResponse response = world.saga(metrics).handleRequest(batch, tenSecondsLeft);

            assertThat(response.getBatchItemFailures()).singleElement().satisfies(failure ->
                    assertThat(failure.getItemIdentifier()).isEqualTo(batch.getRecords().getFirst().getDynamodb().getSequenceNumber()));
            assertThat(world.debitsOf("a-1", "o-1")).isZero();
        }
    }

    @Nested
    class Races {

        private static final int SHARDS = 4;

        @Test
        void twenty_orders_placed_at_once_against_funds_for_ten_pay_exactly_the_affordable_ones() throws Exception {
            world.open("a-1");
            for (int i = 0; i < 10; i++) {
                world.deposit("a-1", i == 0 ? 1_500 : 1_000);
            }
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> placed = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    String order = "o-" + i;
                    placed.add(pool.submit(() -> {
                        start.await();
                        return world.place(order, "a-1", 1_000).orElseThrow();
                    }));
                }
                start.countDown();
                for (Future<?> future : placed) {
                    future.get();
                }

                long started = System.nanoTime();
                int rounds = deliverOverShards(pool);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                List<String> paid = IntStream.rangeClosed(1, 20).mapToObj(i -> "o-" + i)
                        .filter(order -> world.orderState(order) instanceof OrderState.Paid).toList();
                List<String> cancelled = IntStream.rangeClosed(1, 20).mapToObj(i -> "o-" + i)
                        .filter(order -> world.orderState(order) instanceof OrderState.Cancelled c
                                && c.reason().equals("payment declined: insufficient funds") && c.refund() == null).toList();
                assertThat(paid).hasSize(10);
                assertThat(cancelled).hasSize(10);
                long running = 0;
                for (AccountEvent event : world.accountEvents("a-1")) {
                    running += switch (event) {
                        case MoneyDeposited deposit -> deposit.amount().minorUnits();
                        case AccountDebited debit -> -debit.amount().minorUnits();
                        case AccountRefunded refund -> refund.amount().minorUnits();
                        default -> 0;
                    };
                    assertThat(running).as("the balance after " + event).isNotNegative();
                }
                assertThat(world.balance("a-1")).isEqualTo(Money.of(10_500 - 10 * 1_000, "EUR"));
                assertThat(world.deposits("a-1") - 10 * 1_000L).isEqualTo(world.balance("a-1").minorUnits());
                paid.forEach(order -> assertThat(world.debitsOf("a-1", order)).as(order).isEqualTo(1));
                System.out.printf("saga race: 20 orders, funds for 10: %d paid, %d cancelled; %d shards, %d rounds, %d batches,"
                                + " %d commands issued, %d replayed, %d records reported for retry; settled in %d ms%n",
                        paid.size(), cancelled.size(), SHARDS, rounds, batches.size(),
                        batches.stream().mapToInt(SagaBatch::commandsIssued).sum(),
                        batches.stream().mapToInt(SagaBatch::commandsReplayed).sum(),
                        batches.stream().mapToInt(SagaBatch::failedRecords).sum(), took.toMillis());
            } finally {
                pool.shutdownNow();
            }
        }

        /**
         * DynamoDB spreads a table's stream over shards by partition key, and Lambda runs one
         * invocation per shard at a time: here {@value #SHARDS} shards, each a container of its
         * own, running at once, each stream always in the same shard, a reported failure
         * re-delivered from the record reported. Returns the rounds it took to go quiet.
         */
        private int deliverOverShards(ExecutorService pool) throws Exception {
            List<SagaFunction> containers = IntStream.range(0, SHARDS).mapToObj(i -> world.saga(metrics)).toList();
            Map<Integer, List<DynamodbStreamRecord>> backlog = new TreeMap<>();
            IntStream.range(0, SHARDS).forEach(shard -> backlog.put(shard, new ArrayList<>()));
            for (int round = 1; round < 1_000; round++) {
                for (DynamodbEvent page : world.tap.drain(100)) {
                    for (DynamodbStreamRecord record : page.getRecords()) {
                        String partition = record.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS();
                        backlog.get(Math.floorMod(partition.hashCode(), SHARDS)).add(record);
                    }
                }
                if (backlog.values().stream().allMatch(List::isEmpty)) {
                    return round;
                }
                List<Callable<Void>> shards = new ArrayList<>();
                for (int shard = 0; shard < SHARDS; shard++) {
                    SagaFunction container = containers.get(shard);
                    List<DynamodbStreamRecord> records = backlog.get(shard);
                    shards.add(() -> {
                        deliver(container, records);
                        return null;
                    });
                }
                for (Future<Void> done : pool.invokeAll(shards)) {
                    done.get();
                }
            }
            throw new AssertionError("the saga never went quiet");
        }

        /** Delivers {@code records} in batches of 5; a reported record and those after it stay for the next round. */
        private static void deliver(SagaFunction container, List<DynamodbStreamRecord> records) {
            while (!records.isEmpty()) {
                List<DynamodbStreamRecord> batch = List.copyOf(records.subList(0, Math.min(5, records.size())));
                StreamsEventResponse response = container.handleRequest(StreamTap.withRecords(batch), null);
                if (response.getBatchItemFailures().isEmpty()) {
                    records.subList(0, batch.size()).clear();
                    continue;
                }
                String failed = response.getBatchItemFailures().getFirst().getItemIdentifier();
                int at = IntStream.range(0, batch.size()).filter(i -> batch.get(i).getDynamodb().getSequenceNumber().equals(failed))
                        .findFirst().orElseThrow();
                records.subList(0, at).clear();
                return;
            }
        }
    }
}
