package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.CacheRepairs;
import dev.factline.functions.view.DashboardRows;
import dev.factline.functions.view.ReadModel;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderTally;
import dev.factline.order.OrderView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The read side of one deployment on this JVM's dynalite: an event table and a read table of
 * its own, the real command function writing events, and a stand-in for the projector that a
 * test runs by hand ({@link #project}): it folds a stream with the read model's own projection
 * and puts the row, as the projector would. Not calling it is the projector paused.
 *
 * <p>Query containers ({@link #container}) share one DynamoDB client whose calls are counted
 * ({@link #calls}); the commands and the stand-in projector use another, uncounted.
 */
final class ReadSide {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final ReadTable readTable;
    final EventTable eventTable;
    final CallCounter calls = new CallCounter();
    final DynamoDbClient counted;
    final DynamoDbEventStore store;
    /** The commands' clock: every command happens one second after the one before. */
    final ManualClock commandClock = new ManualClock(START);
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<QueryFigures> metrics = new CopyOnWriteArrayList<>();
    private final DynamoDbClient plain;
    private final CommandFunction commands;

    private ReadSide(ReadTable readTable, EventTable eventTable) {
        LocalDynamo server = LocalDynamo.shared();
        this.readTable = readTable;
        this.eventTable = eventTable;
        this.plain = server.client();
        this.counted = server.clientBuilder().overrideConfiguration(configuration -> configuration.addExecutionInterceptor(calls)).build();
        this.store = new DynamoDbEventStore(plain, eventTable, StoreLimits.defaults(), commandClock);
        this.commands = new CommandFunction(store, commandClock, IdGenerator.random(), WritePolicy.defaults());
    }

    /** New, empty tables named {@code prefix-...-<uuid>}. */
    static ReadSide create(String prefix) {
        String suffix = UUID.randomUUID().toString();
        ReadSide side = new ReadSide(new ReadTable(prefix + "-read-" + suffix), new EventTable(prefix + "-events-" + suffix));
        LocalDynamo.shared().createTable(side.readTable.createTableRequest());
        LocalDynamo.shared().createTable(side.eventTable.createTableRequest());
        return side;
    }

    QuerySettings settings() {
        return QuerySettings.of(readTable, eventTable);
    }

    /** A fresh query container: empty LRU, no repair check yet, on the counted client. */
    QueryFunction container(ViewCache cache, InstantSource clock) {
        return container(cache, clock, settings());
    }

    QueryFunction container(ViewCache cache, InstantSource clock, QuerySettings settings) {
        return new QueryFunction(counted, settings, cache, clock, new QueryLog(log::add), metrics::add);
    }

    static APIGatewayV2HTTPResponse send(QueryFunction container, QueryEvents.Request request) {
        return container.handleRequest(request.event(), null);
    }

    // ---- commands, through the real command function -------------------------------------------------

    long openAccount(String accountId) {
        return command(HttpApiEvents.post("/accounts")
                .json("{\"accountId\": \"" + accountId + "\", \"ownerId\": \"owner-1\", \"currency\": \"EUR\"}"));
    }

    long deposit(String accountId, long minorUnits) {
        return command(HttpApiEvents.post("/accounts/" + accountId + "/deposits").json("{\"amount\": " + eur(minorUnits) + "}"));
    }

    long withdraw(String accountId, long minorUnits) {
        return command(HttpApiEvents.post("/accounts/" + accountId + "/withdrawals").json("{\"amount\": " + eur(minorUnits) + "}"));
    }

    long placeOrder(String orderId, String customerId, String accountId, long unitPrice, int quantity) {
        return command(HttpApiEvents.post("/orders").json("{\"orderId\": \"" + orderId + "\", \"customerId\": \"" + customerId
                + "\", \"accountId\": \"" + accountId + "\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"sku-1\", \"quantity\": "
                + quantity + ", \"unitPrice\": " + eur(unitPrice) + "}]}"));
    }

    long pay(String orderId, long minorUnits) {
        return command(HttpApiEvents.post("/orders/" + orderId + "/payment").json("{\"amount\": " + eur(minorUnits) + "}"));
    }

    long ship(String orderId) {
        return command(HttpApiEvents.post("/orders/" + orderId + "/shipment"));
    }

    long cancel(String orderId) {
        return command(HttpApiEvents.post("/orders/" + orderId + "/cancellation").json("{\"reason\": \"changed my mind\"}"));
    }

    /** Sends a command that must succeed; returns the stream's version after it. The clock then moves a second. */
    long command(HttpApiEvents.Request request) {
        APIGatewayV2HTTPResponse response = commands.handleRequest(request.event(), null);
        assertThat(response.getStatusCode()).as("%s: %s", request, response.getBody()).isBetween(200, 201);
        commandClock.advance(Duration.ofSeconds(1));
        return json(response).get("version").asLong();
    }

    private static String eur(long minorUnits) {
        return "{\"minorUnits\": " + minorUnits + ", \"currency\": \"EUR\"}";
    }

    // ---- the projector's stand-in ---------------------------------------------------------------------

    /** Folds the whole stream with its read model's projection and puts the row, as the projector would. */
    ViewRow project(StreamId stream) {
        ViewRow row = fold(stream, ReadModel.following(stream).orElseThrow(), Long.MAX_VALUE);
        plain.putItem(put -> put.tableName(readTable.name()).item(row.item()));
        return row;
    }

    /** The view of {@code stream} at {@code version}, folded here from the stored events: the history, independently. */
    ViewRow viewAt(StreamId stream, long version) {
        return fold(stream, ReadModel.following(stream).orElseThrow(), version);
    }

    private <E, V> ViewRow fold(StreamId stream, ReadModel<E, V> model, long version) {
        List<RecordedEvent> events = store.load(stream, 1, version);
        assertThat(events).as("events of %s", stream).isNotEmpty();
        return ViewRow.of(stream, model, model.projection().replay(null, events, model.codec()));
    }

    /** Adds the current state of {@code orders} (projected first) to dashboard row {@code shard}, as the projector's batches would. */
    void addToDashboard(int shard, List<String> orderIds) {
        OrderTally tally = OrderTally.EMPTY;
        for (String orderId : orderIds) {
            OrderView view = ReadModel.ORDERS.fromJson(project(StreamId.of("order", orderId)).json());
            tally = tally.plus(OrderTally.between(null, view));
        }
        Update addition = DashboardRows.addition(readTable.name(), DashboardRows.shardKey(shard), tally);
        plain.updateItem(update -> update.tableName(addition.tableName()).key(addition.key())
                .updateExpression(addition.updateExpression())
                .expressionAttributeNames(addition.expressionAttributeNames())
                .expressionAttributeValues(addition.expressionAttributeValues()));
    }

    /** What the projector does when it cannot reach Redis: lists the keys whose entries may now be stale. */
    void listForRepair(String... keys) {
        new CacheRepairs(plain, readTable).record(List.of(keys));
    }

    Set<String> listedForRepair() {
        return new CacheRepairs(plain, readTable).pending();
    }

    // ---- looking behind the function's back ---------------------------------------------------------

    Optional<ViewRow> row(String key) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item =
                plain.getItem(get -> get.tableName(readTable.name()).key(ViewRow.keyOf(key)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ViewRow.fromItem(item));
    }

    long readTableItems() {
        return plain.scanPaginator(ScanRequest.builder().tableName(readTable.name()).select(Select.COUNT).consistentRead(true).build())
                .stream().mapToLong(ScanResponse::count).sum();
    }

    long eventTableItems() {
        return plain.scanPaginator(ScanRequest.builder().tableName(eventTable.name()).select(Select.COUNT).consistentRead(true).build())
                .stream().mapToLong(ScanResponse::count).sum();
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        return json(response.getBody());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
