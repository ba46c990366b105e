package dev.factline.functions.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ViewCache;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderStatus;
import dev.factline.order.Orders;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Interleavings forced on the real server: another delivery of the same records lands between
 * this projector's read and its write, so its transaction is cancelled by the rows that moved,
 * and it must fold again from them rather than count anything twice.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectorRacesIT {

    private final ReadSide side = new ReadSide();

    @AfterEach
    void close() {
        side.close();
    }

    @Test
    void a_delivery_that_lands_between_the_read_and_the_write_cancels_the_write_which_folds_again_and_counts_nothing_twice() {
        String orderId = "o-" + UUID.randomUUID();
        side.order(orderId, new PlaceOrder("customer-1", "a-1", Currency.getInstance("EUR"), List.of(new OrderLine("sku-1", 2, Money.of(250, "EUR")))));
        DynamodbEvent placed = side.tap.drainAll();
        side.order(orderId, new MarkOrderPaid(Money.of(500, "EUR")));
        DynamodbEvent placedAndPaid = concatenated(placed, side.tap.drainAll());
        ProjectorFunction rival = side.projector(ReadSide.DYNAMO.client(), ViewCache.none(), ProjectorMetrics.none());
        List<BatchFigures> figures = new ArrayList<>();
        ProjectorFunction projector = side.projector(
                raceBeforeFirstTransaction(ReadSide.DYNAMO.client(), () -> rival.handleRequest(placed, null)),
                ViewCache.none(), figures::add);

        assertThat(projector.handleRequest(placedAndPaid, null).getBatchItemFailures()).isEmpty();

        // Once for the order's view, once for its catalogue entry.
        assertThat(figures.getLast().eventsApplied()).as("folded again from the rival's rows: only the payment").isEqualTo(2);
        assertThat(figures.getLast().duplicatesSkipped()).isEqualTo(2);
        assertThat(side.row(Orders.TYPE.streamId(orderId)).version()).isEqualTo(2);
        OrderDashboard dashboard = OrderDashboard.of(side.dashboard());
        assertThat(dashboard.orders(OrderStatus.PAID)).isEqualTo(BigInteger.ONE);
        assertThat(dashboard.orders(OrderStatus.PLACED)).as("placed once, then moved to paid").isZero();
        assertThat(side.dashboard()).isEqualTo(side.replayedDashboard(List.of(orderId)));
    }

    @Test
    void a_row_that_moved_past_everything_in_the_batch_is_left_as_it_is() {
        StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
        side.account(account.id(), new OpenAccount("c-1", Currency.getInstance("EUR")));
        side.account(account.id(), new DepositMoney(Money.of(100, "EUR"), null));
        DynamodbEvent both = side.tap.drainAll();
        ProjectorFunction rival = side.projector(ReadSide.DYNAMO.client(), ViewCache.none(), ProjectorMetrics.none());
        List<BatchFigures> figures = new ArrayList<>();
        ProjectorFunction projector = side.projector(
                raceBeforeFirstTransaction(ReadSide.DYNAMO.client(), () -> rival.handleRequest(both, null)),
                ViewCache.none(), figures::add);

        assertThat(projector.handleRequest(both, null).getBatchItemFailures()).isEmpty();

        assertThat(figures.getLast().eventsApplied()).isZero();
        assertThat(figures.getLast().duplicatesSkipped()).as("both events, in each account read model")
                .isEqualTo(2 * HostedReadModels.STANDARD.projected(Accounts.STREAM_TYPE).size());
        assertThat(AccountView.MODEL.fromJson(side.row(account).json())).isEqualTo(side.replayed(account, AccountView.MODEL));
    }

    @Test
    void a_transaction_cancelled_by_a_conflict_on_another_transaction_is_retried_and_counts_once() {
        String orderId = "o-" + UUID.randomUUID();
        side.order(orderId, new PlaceOrder("customer-1", "a-1", Currency.getInstance("EUR"), List.of(new OrderLine("sku-1", 1, Money.of(250, "EUR")))));
        DynamodbEvent placed = side.tap.drainAll();
        List<BatchFigures> figures = new ArrayList<>();
        // What DynamoDB answers when another transaction holds one of the items, at a chosen moment.
        ProjectorFunction projector = side.projector(raceBeforeFirstTransaction(ReadSide.DYNAMO.client(), () -> {
            throw conflict();
        }), ViewCache.none(), figures::add);

        assertThat(projector.handleRequest(placed, null).getBatchItemFailures()).isEmpty();

        assertThat(figures.getLast().transactions()).as("the order's row with its dashboard shard, and its catalogue entry").isEqualTo(2);
        assertThat(side.dashboard()).isEqualTo(side.replayedDashboard(List.of(orderId)));
    }

    @Test
    void a_transaction_retried_after_it_had_in_fact_committed_is_cancelled_by_its_rows_versions_and_counts_nothing_twice() {
        String orderId = "o-" + UUID.randomUUID();
        side.order(orderId, new PlaceOrder("customer-1", "a-1", Currency.getInstance("EUR"), List.of(new OrderLine("sku-1", 1, Money.of(250, "EUR")))));
        DynamodbEvent placed = side.tap.drainAll();
        DynamoDbClient real = ReadSide.DYNAMO.client();
        AtomicBoolean answerLost = new AtomicBoolean();
        List<BatchFigures> figures = new ArrayList<>();
        // The first transaction commits, yet the projector is told it was cancelled, and so sends it again.
        ProjectorFunction projector = side.projector(new AnsweredTransactions(real, request -> {
            TransactWriteItemsResponse committed = real.transactWriteItems(request);
            if (!answerLost.getAndSet(true)) {
                throw conflict();
            }
            return committed;
        }), ViewCache.none(), figures::add);

        assertThat(projector.handleRequest(placed, null).getBatchItemFailures()).isEmpty();

        assertThat(figures.getLast().transactions()).as("the second was refused by its rows' versions, and folded to nothing new").isEqualTo(1);
        OrderDashboard dashboard = OrderDashboard.of(side.dashboard());
        assertThat(dashboard.orders(OrderStatus.PLACED)).as("counted once").isEqualTo(BigInteger.ONE);
        assertThat(side.dashboard()).isEqualTo(side.replayedDashboard(List.of(orderId)));
        assertThat(side.row(Orders.TYPE.streamId(orderId)).version()).isEqualTo(1);
    }

    @Test
    void a_transaction_cancelled_at_every_attempt_is_given_up_after_16_and_its_stream_delivered_again_with_nothing_written() {
        String orderId = "o-" + UUID.randomUUID();
        side.order(orderId, new PlaceOrder("customer-1", "a-1", Currency.getInstance("EUR"), List.of(new OrderLine("sku-1", 1, Money.of(250, "EUR")))));
        DynamodbEvent placed = side.tap.drainAll();
        AtomicInteger sent = new AtomicInteger();
        ProjectorFunction projector = alwaysCancelled(sent);

        assertThat(projector.handleRequest(placed, null).getBatchItemFailures()).singleElement().satisfies(failure ->
                assertThat(failure.getItemIdentifier()).isEqualTo(placed.getRecords().getFirst().getDynamodb().getSequenceNumber()));

        assertThat(sent.get()).as("the order's row with its shard, and its catalogue entry, 16 attempts each")
                .isEqualTo(2 * Projector.ContentionRetries.IN_ROUNDS.maxAttempts());
        assertThat(side.row(Orders.TYPE.streamId(orderId))).isNull();
        assertThat(side.dashboard()).isEmpty();
    }

    @Test
    void with_no_time_left_for_a_pause_a_cancelled_transaction_is_reported_at_once() {
        side.order("o-" + UUID.randomUUID(), new PlaceOrder("customer-1", "a-1", Currency.getInstance("EUR"),
                List.of(new OrderLine("sku-1", 1, Money.of(250, "EUR")))));
        DynamodbEvent placed = side.tap.drainAll();
        AtomicInteger sent = new AtomicInteger();
        ProjectorFunction projector = alwaysCancelled(sent);
        Context onlyTheReserveLeft = (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, arguments) -> method.getName().equals("getRemainingTimeInMillis")
                        ? (int) ProjectorFunction.TIME_RESERVE.toMillis() : null);

        assertThat(projector.handleRequest(placed, onlyTheReserveLeft).getBatchItemFailures()).hasSize(1);

        assertThat(sent.get()).as("each transaction once").isEqualTo(2);
    }

    /** A projector each of whose transactions is cancelled by another in flight, counted in {@code sent}. */
    private ProjectorFunction alwaysCancelled(AtomicInteger sent) {
        return side.projector(new AnsweredTransactions(ReadSide.DYNAMO.client(), request -> {
            sent.incrementAndGet();
            throw conflict();
        }), ViewCache.none(), ProjectorMetrics.none());
    }

    /** What DynamoDB answers when another transaction holds the second of two items. */
    private static TransactionCanceledException conflict() {
        return TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]")
                .cancellationReasons(
                        CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("TransactionConflict").message("Transaction is ongoing for the item").build())
                .build();
    }

    /** The real client, with {@code race} run once, just before the first transaction goes out (or instead of it, if it throws). */
    private static DynamoDbClient raceBeforeFirstTransaction(DynamoDbClient real, Runnable race) {
        AtomicBoolean raced = new AtomicBoolean();
        return new AnsweredTransactions(real, request -> {
            if (!raced.getAndSet(true)) {
                race.run();
            }
            return real.transactWriteItems(request);
        });
    }

    private static DynamodbEvent concatenated(DynamodbEvent first, DynamodbEvent second) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(first.getRecords());
        records.addAll(second.getRecords());
        return StreamTap.withRecords(records);
    }

    /** The real client, whose transactions {@code answer} answers (sending them on to the real one, or not). */
    private static final class AnsweredTransactions implements DynamoDbClient {

        private final DynamoDbClient real;
        private final Function<TransactWriteItemsRequest, TransactWriteItemsResponse> answer;

        AnsweredTransactions(DynamoDbClient real, Function<TransactWriteItemsRequest, TransactWriteItemsResponse> answer) {
            this.real = real;
            this.answer = answer;
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            return answer.apply(request);
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(Consumer<TransactWriteItemsRequest.Builder> request) {
            return transactWriteItems(TransactWriteItemsRequest.builder().applyMutation(request).build());
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            return real.batchGetItem(request);
        }

        @Override
        public BatchGetItemResponse batchGetItem(Consumer<BatchGetItemRequest.Builder> request) {
            return real.batchGetItem(request);
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            return real.getItem(request);
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            return real.query(request);
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            return real.updateItem(request);
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {
            // the real client is shared
        }
    }
}
