package dev.factline.functions.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.account.WithdrawMoney;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.testing.TcpCut;
import dev.factline.functions.view.CacheGeneration;
import dev.factline.functions.view.CachedView;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderView;
import dev.factline.order.Orders;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The projector on real stream records: commands written through the kernel into dynalite, its
 * stream read as Lambda delivers it, the batches handed to the function, and the read table and
 * Redis compared with a full replay of the event table.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectorIT {

    private static final Currency EUR = Currency.getInstance("EUR");
    /** The read models an account stream feeds: its view and its statement. */
    private static final int ACCOUNT_VIEWS = HostedReadModels.STANDARD.projected(Accounts.STREAM_TYPE).size();
    private static final LocalRedis REDIS = LocalRedis.shared();

    private final ReadSide side = new ReadSide();
    private final RedisClient redisClient = RedisViewCache.client(REDIS.uri(), Duration.ofMillis(500), Duration.ofMillis(500));
    private final RedisViewCache cache = new RedisViewCache(redisClient, Duration.ofMinutes(5));
    private final List<BatchFigures> figures = Collections.synchronizedList(new ArrayList<>());
    private final ProjectorFunction projector = side.projector(ReadSide.DYNAMO.client(), cache, figures::add);

    @AfterEach
    void close() {
        side.close();
        cache.close();
    }

    @Nested
    class Real_stream_records {

        @Test
        void batches_read_from_the_stream_leave_every_view_and_its_cache_entry_equal_to_a_full_replay() {
            Workload workload = Workload.run(side, new Random(7), 4, 5, 60);

            side.batches(25).forEach(batch -> assertThat(projector.handleRequest(batch, null).getBatchItemFailures()).isEmpty());

            workload.assertViewsEqualReplay(side);
            for (StreamId stream : workload.streams()) {
                ViewRow row = side.row(stream);
                assertThat(cache.get(side.row(stream).key())).as("Redis holds %s as the table does", stream).contains(
                        new CachedView(new ViewRow(row.key(), row.version(), row.json(), null, null), 0));
            }
        }

        @Test
        void records_that_carry_no_events_are_passed_over_and_cost_no_write() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            // Three events: the snapshot policy (every 3) also writes a snapshot item into the stream.
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(500, "EUR"), null));
            side.account(account.id(), new DepositMoney(Money.of(700, "EUR"), null));
            DynamodbEvent everything = side.tap.drainAll();
            assertThat(everything.getRecords()).hasSize(4);

            StreamsEventResponse response = projector.handleRequest(everything, null);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(figures.getLast().eventsApplied()).as("3 events, each applied to each account read model").isEqualTo(3 * ACCOUNT_VIEWS);
            assertThat(figures.getLast().rowsWritten()).as("a row per account read model").isEqualTo(ACCOUNT_VIEWS);
            assertThat(side.row(account).version()).isEqualTo(3);
        }
    }

    @Nested
    class Duplicates_and_reordering {

        @ParameterizedTest(name = "workload seed {0}")
        @ValueSource(longs = {1, 2, 3, 4, 5, 6})
        void batches_delivered_twice_and_interleaved_differently_across_streams_leave_the_views_equal_to_a_full_replay(long seed) {
            Random random = new Random(seed);
            Workload workload = Workload.run(side, random, 1 + random.nextInt(5), 1 + random.nextInt(8), 40 + random.nextInt(60));
            List<DynamodbStreamRecord> records = side.tap.drainAll().getRecords();

            for (List<DynamodbStreamRecord> batch : rebatched(records, random)) {
                deliver(batch);
                if (random.nextBoolean()) {
                    deliver(batch);
                }
            }
            for (List<DynamodbStreamRecord> batch : rebatched(interleavedAcrossStreams(records, random), random)) {
                deliver(batch);
            }

            workload.assertViewsEqualReplay(side);
            assertThat(figures).allSatisfy(figure -> assertThat(figure.failedRecords()).isZero());
            assertThat(figures.stream().mapToInt(BatchFigures::duplicatesSkipped).sum())
                    .as("every event of the second pass was recognised as applied").isGreaterThanOrEqualTo(workload.events(side));
        }

        @Test
        void two_containers_projecting_the_same_batch_at_once_count_each_order_once_on_the_dashboard() throws Exception {
            Workload workload = Workload.run(side, new Random(11), 2, 12, 50);
            DynamodbEvent batch = side.tap.drainAll();
            ProjectorFunction other = side.projector(ReadSide.DYNAMO.client(), ViewCache.none(), ProjectorMetrics.none());
            CyclicBarrier start = new CyclicBarrier(2);

            CompletableFuture<StreamsEventResponse> first = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> projector.handleRequest(batch, null)));
            CompletableFuture<StreamsEventResponse> second = CompletableFuture.supplyAsync(() -> awaitThen(start, () -> other.handleRequest(batch, null)));

            assertThat(first.get().getBatchItemFailures()).isEmpty();
            assertThat(second.get().getBatchItemFailures()).isEmpty();
            workload.assertViewsEqualReplay(side);
        }
    }

    @Nested
    class Read_models {

        @Test
        void every_read_model_of_a_stream_type_is_written_in_the_same_transaction_and_equals_its_replay() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(1_250, "EUR"), "salary"));
            side.account(account.id(), new WithdrawMoney(Money.of(250, "EUR")));

            assertThat(projector.handleRequest(side.tap.drainAll(), null).getBatchItemFailures()).isEmpty();

            assertThat(figures.getLast().transactions()).isEqualTo(1);
            assertThat(AccountStatement.MODEL.fromJson(side.row(account, AccountStatement.MODEL).json()))
                    .isEqualTo(side.replayed(account, AccountStatement.MODEL));
            assertThat(AccountView.MODEL.fromJson(side.row(account).json())).isEqualTo(side.replayed(account, AccountView.MODEL));
            assertThat(cache.get(AccountStatement.MODEL.rowKey(account))).as("the statement is not cached in Redis").isEmpty();
            assertThat(cache.get(AccountView.MODEL.rowKey(account))).isPresent();
        }

        @Test
        void a_read_model_added_after_a_stream_began_is_filled_from_its_whole_history_by_its_next_event() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(500, "EUR"), null));
            ProjectorFunction beforeTheStatement = side.projector(ReadModels.of(AccountView.MODEL), ReadSide.DYNAMO.client(), cache, figures::add);
            assertThat(beforeTheStatement.handleRequest(side.tap.drainAll(), null).getBatchItemFailures()).isEmpty();
            assertThat(side.row(account, AccountStatement.MODEL)).as("no statement before it was deployed").isNull();

            side.account(account.id(), new DepositMoney(Money.of(700, "EUR"), null));
            assertThat(projector.handleRequest(side.tap.drainAll(), null).getBatchItemFailures()).isEmpty();

            AccountStatement statement = AccountStatement.MODEL.fromJson(side.row(account, AccountStatement.MODEL).json());
            assertThat(statement).isEqualTo(side.replayed(account, AccountStatement.MODEL));
            assertThat(statement.version()).isEqualTo(3);
            assertThat(statement.months().getLast().deposits()).as("both deposits, the one before it existed too").isEqualTo(BigInteger.valueOf(1_200));
        }
    }

    @Nested
    class Failures {

        @Test
        void a_poison_record_is_reported_by_its_sequence_number_and_earlier_records_and_other_streams_are_applied() {
            StreamId healthy = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            StreamId poisoned = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(healthy.id(), new OpenAccount("c-1", EUR));
            side.account(poisoned.id(), new OpenAccount("c-2", EUR));
            // A deposit whose payload fits no shape this reader knows, as a buggy or newer writer could store it.
            side.store.append(poisoned, 1, List.of(new NewEvent(UUID.randomUUID(), "MoneyDeposited", 3, Instant.now(),
                    "{\"amount\":\"lots\"}", EventMetadata.forCommand("cmd-poison"))), null);
            side.account(healthy.id(), new DepositMoney(Money.of(100, "EUR"), null));
            DynamodbEvent batch = side.tap.drainAll();
            String poisonSequence = batch.getRecords().get(2).getDynamodb().getSequenceNumber();

            StreamsEventResponse response = projector.handleRequest(batch, null);

            assertThat(response.getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo(poisonSequence));
            assertThat(side.row(healthy).version()).as("the stream after the poison still progressed").isEqualTo(2);
            assertThat(side.row(poisoned).version()).as("the poisoned stream stops before the poison").isEqualTo(1);

            // Lambda delivers again from the poison on: the same answer, and the rest is not applied twice.
            StreamsEventResponse again = projector.handleRequest(StreamTap.withRecords(batch.getRecords().subList(2, 4)), null);
            assertThat(again.getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo(poisonSequence));
            assertThat(figures.getLast().duplicatesSkipped()).as("the healthy deposit, in each account read model").isEqualTo(ACCOUNT_VIEWS);
            assertThat(side.row(healthy).version()).isEqualTo(2);
        }

        @Test
        void a_reported_record_is_logged_once_per_read_model_with_its_reason_in_the_batch_line() throws Exception {
            StreamId poisoned = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(poisoned.id(), new OpenAccount("c-2", EUR));
            side.store.append(poisoned, 1, List.of(new NewEvent(UUID.randomUUID(), "MoneyDeposited", 3, Instant.now(),
                    "{\"amount\":\"lots\"}", EventMetadata.forCommand("cmd-poison"))), null);
            DynamodbEvent batch = side.tap.drainAll();
            String poisonSequence = batch.getRecords().get(1).getDynamodb().getSequenceNumber();
            List<String> lines = new ArrayList<>();

            side.projectorLoggingTo(lines, figures::add).handleRequest(batch, null);

            JsonNode line = new ObjectMapper().readTree(lines.getFirst());
            assertThat(lines).hasSize(1);
            assertThat(line.get("level").asText()).isEqualTo("WARN");
            assertThat(line.get("failedRecords").asInt()).as("one record, whatever the read models").isEqualTo(1);
            assertThat(line.get("retryFrom").asText()).isEqualTo(poisonSequence);
            assertThat(line.get("problems")).hasSize(ACCOUNT_VIEWS).allSatisfy(problem -> {
                assertThat(problem.get("kind").asText()).isEqualTo("unappliable");
                assertThat(problem.get("sequenceNumber").asText()).isEqualTo(poisonSequence);
                assertThat(problem.get("streamId").asText()).isEqualTo(poisoned.toString());
                assertThat(problem.get("reason").asText()).contains("MoneyDeposited");
            });
            assertThat(line.get("problems").findValuesAsText("readModel")).containsExactlyInAnyOrder("account-view@1", "account-statement@1",
                    "account-streams@1");
        }

        @Test
        void a_batch_without_problems_is_one_info_line_with_its_figures() throws Exception {
            side.account("a-" + UUID.randomUUID(), new OpenAccount("c-1", EUR));
            List<String> lines = new ArrayList<>();

            side.projectorLoggingTo(lines, figures::add).handleRequest(side.tap.drainAll(), null);

            JsonNode line = new ObjectMapper().readTree(lines.getFirst());
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("applied").asInt()).isEqualTo(ACCOUNT_VIEWS);
            assertThat(line.get("rowsWritten").asInt()).isEqualTo(ACCOUNT_VIEWS);
            assertThat(line.has("problems")).isFalse();
        }

        @Test
        void a_record_whose_predecessors_never_arrived_gets_them_from_the_event_store() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
            side.account(account.id(), new WithdrawMoney(Money.of(30, "EUR")));
            List<DynamodbStreamRecord> commits = side.tap.drainAll().getRecords().stream()
                    .filter(record -> "commit".equals(record.getDynamodb().getNewImage().get("kind").getS()))
                    .toList();

            StreamsEventResponse response = projector.handleRequest(StreamTap.withRecords(List.of(commits.getLast())), null);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(AccountView.MODEL.fromJson(side.row(account).json()))
                    .isEqualTo(side.replayed(account, AccountView.MODEL));
        }

        @Test
        void a_record_whose_commit_does_not_read_from_the_stream_is_read_from_the_event_store_instead() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
            List<DynamodbStreamRecord> records = side.tap.drainAll().getRecords();
            DynamodbStreamRecord broken = withoutItsEvents(records.get(1));

            StreamsEventResponse response = projector.handleRequest(StreamTap.withRecords(List.of(records.get(0), broken)), null);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(AccountView.MODEL.fromJson(side.row(account).json())).isEqualTo(side.replayed(account, AccountView.MODEL));
        }

        @Test
        void a_record_that_reads_neither_from_the_stream_nor_from_the_event_store_is_reported() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.store.append(account, 1, List.of(new NewEvent(UUID.randomUUID(), "MoneyDeposited", 3, Instant.now(),
                    "{\"amount\":\"lots\"}", EventMetadata.forCommand("cmd-poison"))), null);
            List<DynamodbStreamRecord> records = side.tap.drainAll().getRecords();
            DynamodbStreamRecord broken = withoutItsEvents(records.get(1));

            StreamsEventResponse response = projector.handleRequest(StreamTap.withRecords(List.of(records.get(0), broken)), null);

            assertThat(response.getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo(broken.getDynamodb().getSequenceNumber()));
            assertThat(side.row(account).version()).isEqualTo(1);
        }

        @Test
        void a_record_that_does_not_read_costs_nothing_when_the_row_already_holds_it() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            DynamodbStreamRecord opened = side.tap.drainAll().getRecords().getFirst();
            projector.handleRequest(StreamTap.withRecords(List.of(opened)), null);

            StreamsEventResponse response = projector.handleRequest(StreamTap.withRecords(List.of(withoutItsEvents(opened))), null);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(figures.getLast().rowsWritten()).isZero();
        }

        @Test
        void a_record_whose_keys_do_not_read_either_is_reported_by_its_sequence_number() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
            List<DynamodbStreamRecord> records = side.tap.drainAll().getRecords();
            DynamodbStreamRecord broken = withoutItsEvents(records.getFirst());
            broken.getDynamodb().getKeys().clear();
            broken.getDynamodb().setSequenceNumber("1");

            StreamsEventResponse response = projector.handleRequest(StreamTap.withRecords(List.of(broken, records.get(0), records.get(1))), null);

            assertThat(response.getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo("1"));
            assertThat(side.row(account).version()).isEqualTo(2);
        }

        /** A copy of {@code record} whose commit image lost its events, as a damaged record would arrive. */
        private static DynamodbStreamRecord withoutItsEvents(DynamodbStreamRecord record) {
            DynamodbStreamRecord copy = StreamTap.fromJson(StreamTap.toJson(StreamTap.withRecords(List.of(record)))).getRecords().getFirst();
            copy.getDynamodb().getNewImage().remove("events");
            return copy;
        }
    }

    @Nested
    class Stored_views {

        @Test
        void a_stored_view_that_no_longer_reads_is_rebuilt_from_the_event_store_and_rewritten_in_the_current_shape() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
            List<DynamodbStreamRecord> records = side.tap.drainAll().getRecords();
            // Version 1 as a later deploy might have written it, with a field this one does not know.
            side.putRow(new ViewRow(account.toString(), 1, "{\"accountId\":\"" + account.id() + "\",\"nickname\":\"Rainy day\"}", null, null));

            StreamsEventResponse response = projector.handleRequest(StreamTap.withRecords(records), null);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(AccountView.MODEL.fromJson(side.row(account).json())).isEqualTo(side.replayed(account, AccountView.MODEL));
        }

        @Test
        void a_stored_view_that_no_longer_reads_is_rewritten_even_by_a_batch_of_duplicates() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            DynamodbEvent opened = side.tap.drainAll();
            side.putRow(new ViewRow(account.toString(), 1, "{\"shape\":\"unknown\"}", null, null));

            assertThat(projector.handleRequest(opened, null).getBatchItemFailures()).isEmpty();

            assertThat(AccountView.MODEL.fromJson(side.row(account).json())).isEqualTo(side.replayed(account, AccountView.MODEL));
        }

        @Test
        void rows_are_split_into_transactions_by_size_and_all_written() {
            Workload workload = Workload.orders(side, 12);
            DynamodbEvent batch = side.tap.drainAll();
            ProjectorFunction smallTransactions = side.projectorWithTransactionsOf(2_000, figures::add);

            assertThat(smallTransactions.handleRequest(batch, null).getBatchItemFailures()).isEmpty();

            assertThat(figures.getLast().transactions()).as("rows of several hundred bytes, 2,000 bytes a transaction").isGreaterThan(3);
            workload.assertViewsEqualReplay(side);
        }
    }

    @Nested
    class Redis_outages {

        @Test
        void a_cut_redis_costs_the_cache_not_the_batch_and_moves_the_generation_so_its_stale_entries_are_not_trusted() {
            CacheGeneration generations = new CacheGeneration(ReadSide.DYNAMO.client(), side.readTable);
            try (TcpCut link = TcpCut.to(REDIS.port());
                    RedisViewCache throughLink = new RedisViewCache(
                            RedisViewCache.client(link.redisUri(), Duration.ofMillis(300), Duration.ofMillis(300)), Duration.ofMinutes(5))) {
                ProjectorFunction function = side.projector(ReadSide.DYNAMO.client(), throughLink, figures::add);
                StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
                side.account(account.id(), new OpenAccount("c-1", EUR));
                function.handleRequest(side.tap.drainAll(), null);
                assertThat(cache.get(AccountView.MODEL.rowKey(account))).get().extracting(CachedView::generation, cached -> cached.row().version())
                        .containsExactly(0L, 1L);

                link.cut();
                side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
                StreamsEventResponse duringOutage = function.handleRequest(side.tap.drainAll(), null);

                assertThat(duringOutage.getBatchItemFailures()).as("the batch does not fail for Redis").isEmpty();
                assertThat(figures.getLast().cacheFailures()).isEqualTo(1);
                assertThat(side.row(account).version()).as("the table is still updated").isEqualTo(2);
                CachedView stale = cache.get(AccountView.MODEL.rowKey(account)).orElseThrow();
                assertThat(stale.row().version()).as("a partition leaves the old entry in Redis").isEqualTo(1L);
                assertThat(generations.current()).isEqualTo(1);
                assertThat(stale.isTrustedAt(generations.current())).as("but no reader trusts it any more").isFalse();

                link.restore();
                side.account(account.id(), new DepositMoney(Money.of(5, "EUR"), null));
                function.handleRequest(side.tap.drainAll(), null);

                assertThat(cache.get(AccountView.MODEL.rowKey(account))).get()
                        .extracting(CachedView::generation, cached -> cached.row().version()).containsExactly(1L, 3L);
                assertThat(figures.getLast().redisRoundTrips()).isEqualTo(1);
            }
        }

        @Test
        void the_same_version_at_a_newer_generation_relabels_the_entry_and_an_older_generation_does_not() {
            String key = AccountView.MODEL.rowKey(Accounts.TYPE.streamId("a-" + UUID.randomUUID()));
            cache.putAll(List.of(new ViewRow(key, 4, "{\"v\":4}", null, null)), 2);

            cache.putAll(List.of(new ViewRow(key, 4, "{\"v\":4}", null, null)), 1);
            assertThat(cache.get(key)).get().extracting(CachedView::generation).isEqualTo(2L);

            cache.putAll(List.of(new ViewRow(key, 4, "{\"v\":4}", null, null)), 3);
            assertThat(cache.get(key)).get().extracting(CachedView::generation).isEqualTo(3L);

            cache.putAll(List.of(new ViewRow(key, 5, "{\"v\":5}", null, null)), 0);
            assertThat(cache.get(key)).get().extracting(CachedView::generation, cached -> cached.row().version())
                    .as("a newer version always wins, whatever its label").containsExactly(0L, 5L);
        }

        @Test
        void an_older_view_never_replaces_a_newer_one_in_redis() {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            side.account(account.id(), new OpenAccount("c-1", EUR));
            side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
            projector.handleRequest(side.tap.drainAll(), null);
            ViewRow newest = side.row(account);

            cache.putAll(List.of(new ViewRow(account.toString(), 1, "{\"old\":true}", null, null)), 0);

            assertThat(cache.get(AccountView.MODEL.rowKey(account))).get().extracting(cached -> cached.row().version(), cached -> cached.row().json())
                    .containsExactly(newest.version(), newest.json());
        }
    }

    @Nested
    class Counts {

        @Test
        void a_batch_of_100_events_over_10_accounts_reads_once_writes_a_row_per_account_and_read_model_in_one_transaction_and_takes_one_redis_round_trip() {
            List<String> ids = IntStream.range(0, 10).mapToObj(i -> "a-" + UUID.randomUUID()).toList();
            for (String id : ids) {
                side.account(id, new OpenAccount("c-" + id, EUR));
                for (int deposit = 1; deposit < 10; deposit++) {
                    side.account(id, new DepositMoney(Money.of(deposit, "EUR"), null));
                }
            }
            DynamodbEvent batch = side.tap.drainAll();
            CallCounter calls = new CallCounter();
            try (DynamoDbClient counted = ReadSide.DYNAMO.clientBuilder()
                    .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(calls)).build()) {
                ProjectorFunction function = side.projector(counted, cache, figures::add);

                assertThat(function.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
            }

            BatchFigures batchFigures = figures.getLast();
            assertThat(batchFigures.eventsApplied()).isEqualTo(100 * ACCOUNT_VIEWS);
            assertThat(batchFigures.rowsWritten()).as("one row per account and read model").isEqualTo(10 * ACCOUNT_VIEWS);
            assertThat(batchFigures.transactions()).isEqualTo(1);
            assertThat(batchFigures.redisRoundTrips()).isEqualTo(1);
            assertThat(calls.calls()).containsExactlyInAnyOrderEntriesOf(Map.of("BatchGetItem", 1, "TransactWriteItems", 1));
            System.out.printf("100 events over 10 accounts, %d read models: %d read-table writes (%.2f per event), %d transaction, %d Redis round trip%n", ACCOUNT_VIEWS,
                    batchFigures.rowsWritten(), batchFigures.rowsWritten() / 100.0, batchFigures.transactions(), batchFigures.redisRoundTrips());
        }

        @Test
        void a_batch_over_10_orders_writes_their_10_rows_their_10_catalogue_entries_and_the_dashboard_rows_they_count_in_one_transaction_per_dashboard_row() {
            Workload workload = Workload.orders(side, 10);
            DynamodbEvent batch = side.tap.drainAll();
            long dashboardRows = workload.orderIds().stream()
                    .map(id -> OrderDashboard.TALLY.shardKeyOf(OrderView.MODEL.rowKey(Orders.TYPE.streamId(id)))).distinct().count();

            projector.handleRequest(batch, null);

            BatchFigures batchFigures = figures.getLast();
            assertThat(batchFigures.rowsWritten()).isEqualTo(10 + 10 + dashboardRows);
            assertThat(batchFigures.transactions()).as("concurrent batches meet on one dashboard row at a time; the catalogue entries, counted in no tally, in one more")
                    .isEqualTo(dashboardRows + 1);
            workload.assertViewsEqualReplay(side);
        }
    }

    private void deliver(List<DynamodbStreamRecord> batch) {
        // Through JSON, as Lambda would: every delivery is a fresh copy of the records.
        DynamodbEvent copy = StreamTap.fromJson(StreamTap.toJson(StreamTap.withRecords(batch)));
        assertThat(projector.handleRequest(copy, null).getBatchItemFailures()).isEmpty();
    }

    /** The records cut into batches of random sizes, in their order. */
    private static List<List<DynamodbStreamRecord>> rebatched(List<DynamodbStreamRecord> records, Random random) {
        List<List<DynamodbStreamRecord>> batches = new ArrayList<>();
        for (int from = 0; from < records.size(); ) {
            int size = 1 + random.nextInt(30);
            batches.add(records.subList(from, Math.min(records.size(), from + size)));
            from += size;
        }
        return batches;
    }

    /** Another interleaving of the streams' records, each stream's own order kept (as shards guarantee). */
    private static List<DynamodbStreamRecord> interleavedAcrossStreams(List<DynamodbStreamRecord> records, Random random) {
        Map<String, List<DynamodbStreamRecord>> byStream = new LinkedHashMap<>();
        records.forEach(record -> byStream.computeIfAbsent(record.getDynamodb().getKeys().get("pk").getS(), k -> new ArrayList<>()).add(record));
        List<List<DynamodbStreamRecord>> queues = new ArrayList<>(byStream.values().stream().map(ArrayList::new).toList());
        List<DynamodbStreamRecord> interleaved = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            interleaved.add(queues.get(pick).removeFirst());
            if (queues.get(pick).isEmpty()) {
                queues.remove(pick);
            }
        }
        return interleaved;
    }

    private static <T> T awaitThen(CyclicBarrier barrier, java.util.function.Supplier<T> action) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return action.get();
    }

    /** Accounts and orders driven by random commands, some refused by their rules. */
    record Workload(List<String> accountIds, List<String> orderIds) {

        static Workload run(ReadSide side, Random random, int accounts, int orders, int commands) {
            List<String> accountIds = IntStream.range(0, accounts).mapToObj(i -> "a-" + UUID.randomUUID()).toList();
            List<String> orderIds = IntStream.range(0, orders).mapToObj(i -> "o-" + UUID.randomUUID()).toList();
            accountIds.forEach(id -> side.account(id, new OpenAccount("c-" + id, EUR)));
            for (int command = 0; command < commands; command++) {
                if (random.nextBoolean()) {
                    String id = accountIds.get(random.nextInt(accountIds.size()));
                    Money amount = Money.of(1 + random.nextInt(500), "EUR");
                    side.account(id, random.nextInt(3) == 0 ? new WithdrawMoney(amount) : new DepositMoney(amount, null));
                } else {
                    String id = orderIds.get(random.nextInt(orderIds.size()));
                    orderStep(side, random, id, accountIds.get(random.nextInt(accountIds.size())));
                }
            }
            return new Workload(accountIds, orderIds);
        }

        static Workload orders(ReadSide side, int count) {
            List<String> orderIds = IntStream.range(0, count).mapToObj(i -> "o-" + UUID.randomUUID()).toList();
            orderIds.forEach(id -> side.order(id, placeOrder("a-1", 1 + id.length())));
            return new Workload(List.of(), orderIds);
        }

        private static void orderStep(ReadSide side, Random random, String orderId, String accountId) {
            OrderView view = side.replayed(Orders.TYPE.streamId(orderId), OrderView.MODEL);
            if (view == null) {
                side.order(orderId, placeOrder(accountId, 1 + random.nextInt(5)));
                return;
            }
            switch (random.nextInt(3)) {
                case 0 -> side.order(orderId, new MarkOrderPaid(view.total()));
                case 1 -> side.order(orderId, new ShipOrder());
                default -> side.order(orderId, new CancelOrder("changed my mind"));
            }
        }

        private static PlaceOrder placeOrder(String accountId, int quantity) {
            return new PlaceOrder("customer-1", accountId, Currency.getInstance("EUR"),
                    List.of(new OrderLine("sku-1", quantity, Money.of(250, "EUR"))));
        }

        List<StreamId> streams() {
            return ReadSide.streams(accountIds, orderIds);
        }

        int events(ReadSide side) {
            return streams().stream().mapToInt(stream -> side.store.load(stream).size()).sum();
        }

        void assertViewsEqualReplay(ReadSide side) {
            for (String id : accountIds) {
                StreamId stream = Accounts.TYPE.streamId(id);
                AccountView replayed = side.replayed(stream, AccountView.MODEL);
                assertThat(AccountView.MODEL.fromJson(side.row(stream).json())).as("view of %s", stream).isEqualTo(replayed);
            }
            for (String id : orderIds) {
                StreamId stream = Orders.TYPE.streamId(id);
                OrderView replayed = side.replayed(stream, OrderView.MODEL);
                ViewRow row = side.row(stream);
                if (replayed == null) {
                    assertThat(row).as("no order was placed on %s", stream).isNull();
                } else {
                    assertThat(OrderView.MODEL.fromJson(row.json())).as("view of %s", stream).isEqualTo(replayed);
                }
            }
            assertThat(side.dashboard()).as("the dashboard").isEqualTo(side.replayedDashboard(orderIds));
        }
    }
}
