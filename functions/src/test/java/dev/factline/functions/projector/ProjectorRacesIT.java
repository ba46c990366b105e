package dev.factline.functions.projector;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
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
                new RaceBeforeFirstTransaction(ReadSide.DYNAMO.client(), () -> rival.handleRequest(placed, null)),
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
                new RaceBeforeFirstTransaction(ReadSide.DYNAMO.client(), () -> rival.handleRequest(both, null)),
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
        // What DynamoDB answers when another transaction holds one of the items (dynalite makes writers wait instead).
        ProjectorFunction projector = side.projector(new RaceBeforeFirstTransaction(ReadSide.DYNAMO.client(), () -> {
            throw TransactionCanceledException.builder()
                    .message("Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]")
                    .cancellationReasons(
                            CancellationReason.builder().code("None").build(),
                            CancellationReason.builder().code("TransactionConflict").message("Transaction is ongoing for the item").build())
                    .build();
        }), ViewCache.none(), figures::add);

        assertThat(projector.handleRequest(placed, null).getBatchItemFailures()).isEmpty();

        assertThat(figures.getLast().transactions()).isEqualTo(1);
        assertThat(side.dashboard()).isEqualTo(side.replayedDashboard(List.of(orderId)));
    }

    private static DynamodbEvent concatenated(DynamodbEvent first, DynamodbEvent second) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>(first.getRecords());
        records.addAll(second.getRecords());
        return StreamTap.withRecords(records);
    }

    /** The real client, with {@code race} run once, just before the first transaction goes out (or instead of it, if it throws). */
    private static final class RaceBeforeFirstTransaction implements DynamoDbClient {

        private final DynamoDbClient real;
        private Runnable race;

        RaceBeforeFirstTransaction(DynamoDbClient real, Runnable race) {
            this.real = real;
            this.race = race;
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            Runnable once = race;
            race = () -> { };
            once.run();
            return real.transactWriteItems(request);
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
