package dev.factline.functions.projector;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.TallyRows;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderState;
import dev.factline.order.OrderView;
import dev.factline.order.Orders;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * A write side and a read side on the local DynamoDB, with tables of their own: commands go
 * through the kernel's handlers into the event table, its stream is read as Lambda delivers it,
 * and the read table can be compared with a full replay of the event table.
 */
final class ReadSide implements AutoCloseable {

    static final LocalDynamo DYNAMO = LocalDynamo.shared();

    final EventTable eventTable;
    final ReadTable readTable;
    final DynamoDbEventStore store;
    final StreamTap tap;
    private final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts;
    private final CommandHandler<OrderCommand, OrderEvent, OrderState> orders;

    ReadSide() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        eventTable = new EventTable("events-" + suffix);
        readTable = new ReadTable("views-" + suffix);
        DYNAMO.createTable(eventTable);
        DYNAMO.createTable(readTable.createTableRequest());
        store = new DynamoDbEventStore(DYNAMO.client(), eventTable, StoreLimits.defaults(), Clock.systemUTC());
        // Snapshots every 3 events put snapshot items into the stream too, which the projector passes over.
        WritePolicy policy = WritePolicy.defaults().withSnapshots(SnapshotPolicy.every(3));
        accounts = new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random(), policy);
        orders = new CommandHandler<>(Orders.TYPE, store, Clock.systemUTC(), IdGenerator.random(), policy);
        tap = StreamTap.atStart(DYNAMO, eventTable.name());
    }

    ProjectorFunction projector(DynamoDbClient dynamo, ViewCache cache, ProjectorMetrics metrics) {
        return projector(HostedReadModels.STANDARD, dynamo, cache, metrics);
    }

    /** A projector that hosts only {@code models}, as an older or newer deploy could. */
    ProjectorFunction projector(ReadModels models, DynamoDbClient dynamo, ViewCache cache, ProjectorMetrics metrics) {
        return new ProjectorFunction(models, dynamo, readTable, eventTable, cache, Clock.systemUTC(), metrics);
    }

    /** A projector that writes its log lines to {@code lines}. */
    ProjectorFunction projectorLoggingTo(List<String> lines, ProjectorMetrics metrics) {
        DynamoDbClient dynamo = DYNAMO.client();
        return new ProjectorFunction(HostedReadModels.STANDARD, new ViewWriter(dynamo, readTable, RetryBackoff.none()), dynamo,
                readTable, eventTable, ViewCache.none(), Clock.systemUTC(), metrics, new ProjectorLog(lines::add), ClaimChecks.none());
    }

    /** A projector whose transactions hold at most {@code maxBytes} of rows. */
    ProjectorFunction projectorWithTransactionsOf(long maxBytes, ProjectorMetrics metrics) {
        DynamoDbClient dynamo = DYNAMO.client();
        return new ProjectorFunction(HostedReadModels.STANDARD, new ViewWriter(dynamo, readTable, RetryBackoff.none(), maxBytes, ViewItems.inline()), dynamo,
                readTable, eventTable,
                ViewCache.none(), Clock.systemUTC(), metrics);
    }

    /** Stores {@code row} as it is, as an older or newer deploy of the projector could have written it. */
    void putRow(ViewRow row) {
        DYNAMO.client().putItem(b -> b.tableName(readTable.name()).item(row.item()));
    }

    /** Runs an account command; a refusal by a rule is an outcome, returned as empty. */
    Optional<CommandResult> account(String id, AccountCommand command) {
        return handle(() -> accounts.handle(CommandRequest.of(Accounts.TYPE.streamId(id), command, metadata())));
    }

    Optional<CommandResult> order(String id, OrderCommand command) {
        return handle(() -> orders.handle(CommandRequest.of(Orders.TYPE.streamId(id), command, metadata())));
    }

    private static Optional<CommandResult> handle(java.util.function.Supplier<CommandResult> command) {
        try {
            return Optional.of(command.get());
        } catch (DomainRuleViolationException refused) {
            return Optional.empty();
        }
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("cmd-" + UUID.randomUUID());
    }

    /** Every record written so far, in Lambda batches of {@code size}. */
    List<DynamodbEvent> batches(int size) {
        return tap.drain(size);
    }

    /** The view of {@code streamId} as the read table holds it: its account or order view. */
    @Nullable ViewRow row(StreamId streamId) {
        return row(streamId, streamId.type().equals(Orders.STREAM_TYPE) ? OrderView.MODEL : AccountView.MODEL);
    }

    /** {@code model}'s view of {@code streamId} as the read table holds it. */
    @Nullable ViewRow row(StreamId streamId, StreamView<?, ?> model) {
        Map<String, AttributeValue> item = DYNAMO.client().getItem(b -> b.tableName(readTable.name())
                .key(ViewRow.keyOf(model.rowKey(streamId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : ViewRow.fromItem(item);
    }

    /** The view of {@code streamId} from a full replay of its events. */
    <V> @Nullable V replayed(StreamId streamId, StreamView<?, V> model) {
        return replay(model, store.load(streamId));
    }

    private static <E, V> @Nullable V replay(StreamView<E, V> model, List<RecordedEvent> events) {
        return model.projection().replay(null, events, model.codec());
    }

    /** The dashboard's counters as the read table holds them. */
    SortedMap<String, BigInteger> dashboard() {
        List<Map<String, AttributeValue>> keys = OrderDashboard.TALLY.shardKeys().stream().map(ViewRow::keyOf).toList();
        return TallyRows.sum(DYNAMO.client().batchGetItem(b -> b.requestItems(
                Map.of(readTable.name(), KeysAndAttributes.builder().keys(keys).consistentRead(true).build())))
                .responses().getOrDefault(readTable.name(), List.of()));
    }

    /** The dashboard's counters a full replay of {@code orderIds} gives. */
    SortedMap<String, BigInteger> replayedDashboard(List<String> orderIds) {
        List<Map<String, BigInteger>> contributions = new ArrayList<>();
        for (String id : orderIds) {
            OrderView view = replayed(Orders.TYPE.streamId(id), OrderView.MODEL);
            if (view != null) {
                contributions.add(OrderDashboard.TALLY.change(null, view));
            }
        }
        return Tally.sum(contributions);
    }

    /** Every stream with a view that the workload touched: the rows must equal their replays. */
    static List<StreamId> streams(List<String> accountIds, List<String> orderIds) {
        List<StreamId> streams = new ArrayList<>();
        accountIds.forEach(id -> streams.add(Accounts.TYPE.streamId(id)));
        orderIds.forEach(id -> streams.add(Orders.TYPE.streamId(id)));
        return streams;
    }

    @Override
    public void close() {
        tap.close();
    }
}
