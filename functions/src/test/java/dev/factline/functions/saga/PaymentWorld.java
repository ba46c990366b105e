package dev.factline.functions.saga;

import dev.factline.functions.store.ClaimChecks;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.account.AccountCommand;
import dev.factline.account.AccountDebited;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountRefunded;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.MoneyDeposited;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderState;
import dev.factline.order.Orders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * The write side on the local DynamoDB with an event table of its own: the customer's commands go
 * through the kernel's handlers as the command function sends them, and the table's stream is
 * read as Lambda delivers it, to hand to saga functions.
 */
final class PaymentWorld implements AutoCloseable {

    static final LocalDynamo DYNAMO = LocalDynamo.shared();
    static final Currency EUR = Currency.getInstance("EUR");

    final EventTable eventTable;
    final DynamoDbEventStore store;
    final StreamTap tap;
    final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts;
    final CommandHandler<OrderCommand, OrderEvent, OrderState> orders;

    PaymentWorld() {
        eventTable = new EventTable("events-" + UUID.randomUUID().toString().substring(0, 8));
        DYNAMO.createTable(eventTable);
        store = new DynamoDbEventStore(DYNAMO.client(), eventTable, StoreLimits.defaults(), Clock.systemUTC());
        accounts = new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random());
        orders = new CommandHandler<>(Orders.TYPE, store, Clock.systemUTC(), IdGenerator.random());
        tap = StreamTap.atStart(DYNAMO, eventTable.name());
    }

    /** A saga function as Lambda builds it, on this world's table (snapshots every 3 events, so snapshot items are in the stream too). */
    SagaFunction saga(SagaMetrics metrics) {
        return saga(store, metrics);
    }

    SagaFunction saga(EventStore over, SagaMetrics metrics) {
        return new SagaFunction(over, Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults().withSnapshots(SnapshotPolicy.every(3)),
                metrics, line -> { }, ClaimChecks.none());
    }

    static StreamId account(String id) {
        return Accounts.TYPE.streamId(id);
    }

    static StreamId order(String id) {
        return Orders.TYPE.streamId(id);
    }

    void open(String accountId) {
        handle(() -> accounts.handle(CommandRequest.of(account(accountId), new OpenAccount("c-" + accountId, EUR), metadata())));
    }

    void deposit(String accountId, long minorUnits) {
        handle(() -> accounts.handle(CommandRequest.of(account(accountId), new DepositMoney(Money.of(minorUnits, "EUR"), null), metadata())));
    }

    Optional<CommandResult> place(String orderId, String accountId, long total) {
        return handle(() -> orders.handle(CommandRequest.of(order(orderId), new PlaceOrder("c-" + accountId, accountId, EUR,
                List.of(new OrderLine("sku-1", 1, Money.of(total, "EUR")))), metadata())));
    }

    Optional<CommandResult> cancelByCustomer(String orderId) {
        return handle(() -> orders.handle(CommandRequest.of(order(orderId), new CancelOrder("changed my mind"), metadata())));
    }

    /**
     * Hands the stream to {@code saga} as Lambda does, {@code batchSize} records a batch, until no
     * new record comes: a reported failure moves the tap back to the record reported. Each batch
     * is handed over {@code deliveries} times. Returns every batch delivered.
     */
    List<DynamodbEvent> deliverUntilQuiet(SagaFunction saga, int batchSize, int deliveries) {
        List<DynamodbEvent> delivered = new ArrayList<>();
        for (int round = 0; round < 10_000; round++) {
            DynamodbEvent batch = tap.next(batchSize);
            if (batch.getRecords().isEmpty()) {
                return delivered;
            }
            StreamsEventResponse response = null;
            for (int i = 0; i < deliveries; i++) {
                delivered.add(batch);
                response = saga.handleRequest(batch, null);
            }
            if (!response.getBatchItemFailures().isEmpty()) {
                tap.moveTo(ShardIteratorType.AT_SEQUENCE_NUMBER, response.getBatchItemFailures().getFirst().getItemIdentifier());
            }
        }
        throw new AssertionError("the saga never went quiet");
    }

    /** Every record of the stream so far, from its start. */
    List<DynamodbStreamRecord> allRecords() {
        try (StreamTap fromStart = StreamTap.atStart(DYNAMO, eventTable.name())) {
            return fromStart.drainAll().getRecords();
        }
    }

    Money balance(String accountId) {
        return switch (accounts.repository().load(account(accountId)).state()) {
            case AccountState.Open open -> open.balance();
            case AccountState.Closed closed -> closed.balance();
            case AccountState.Unopened unopened -> Money.zero(EUR);
        };
    }

    OrderState orderState(String orderId) {
        return orders.repository().load(order(orderId)).state();
    }

    List<RecordedEvent> accountHistory(String accountId) {
        return store.load(account(accountId));
    }

    List<AccountEvent> accountEvents(String accountId) {
        return accountHistory(accountId).stream().map(Accounts.codec()::decode).toList();
    }

    long debitsOf(String accountId, String orderId) {
        return accountEvents(accountId).stream().filter(e -> e instanceof AccountDebited debit && debit.orderId().equals(orderId)).count();
    }

    long refundsOf(String accountId, String orderId) {
        return accountEvents(accountId).stream().filter(e -> e instanceof AccountRefunded refund && refund.orderId().equals(orderId)).count();
    }

    long deposits(String accountId) {
        return accountEvents(accountId).stream().filter(MoneyDeposited.class::isInstance)
                .mapToLong(e -> ((MoneyDeposited) e).amount().minorUnits()).sum();
    }

    private static Optional<CommandResult> handle(Supplier<CommandResult> command) {
        try {
            return Optional.of(command.get());
        } catch (DomainRuleViolationException refused) {
            return Optional.empty();
        }
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("cmd-" + UUID.randomUUID());
    }

    @Override
    public void close() {
        tap.close();
    }
}
