package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountView;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.CacheGeneration;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.TallyRows;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.money.Money;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderStatus;
import dev.factline.order.OrderView;
import dev.factline.order.Orders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The query function's tests' deployment on this JVM's dynalite: an event table and a read table
 * of its own, the real command function writing events, and a stand-in for the projector that a
 * test runs by hand ({@link #project}): it folds a stream with the read model's own projection
 * and puts the row, as the projector would. Not calling it is the projector paused. (The
 * projector's tests have their own, {@code projector.ReadSide}, around the real projector.)
 *
 * <p>Query containers ({@link #container}) share one DynamoDB client whose calls are counted
 * ({@link #calls}) and kept ({@link #requests}); the commands and the stand-in projector use
 * another, uncounted.
 */
final class QueryFixture {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final ReadTable readTable;
    final EventTable eventTable;
    final CallCounter calls = new CallCounter();
    /** The requests the query containers sent to DynamoDB, oldest first. */
    final List<SdkRequest> requests = new CopyOnWriteArrayList<>();
    final DynamoDbClient counted;
    final DynamoDbEventStore store;
    /** The commands' clock: every command happens one second after the one before. */
    final ManualClock commandClock = new ManualClock(START);
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<QueryFigures> metrics = new CopyOnWriteArrayList<>();
    private final DynamoDbClient plain;
    private final CommandFunction commands;

    private QueryFixture(ReadTable readTable, EventTable eventTable) {
        LocalDynamo server = LocalDynamo.shared();
        this.readTable = readTable;
        this.eventTable = eventTable;
        this.plain = server.client();
        ExecutionInterceptor keeper = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request());
            }
        };
        this.counted = server.clientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(calls).addExecutionInterceptor(keeper))
                .build();
        this.store = new DynamoDbEventStore(plain, eventTable, StoreLimits.defaults(), commandClock);
        this.commands = new CommandFunction(store, commandClock, IdGenerator.random(), WritePolicy.defaults());
    }

    /** New, empty tables named {@code prefix-...-<uuid>}. */
    static QueryFixture create(String prefix) {
        String suffix = UUID.randomUUID().toString();
        QueryFixture side = new QueryFixture(new ReadTable(prefix + "-read-" + suffix), new EventTable(prefix + "-events-" + suffix));
        LocalDynamo.shared().createTable(side.readTable.createTableRequest());
        LocalDynamo.shared().createTable(side.eventTable);
        return side;
    }

    QuerySettings settings() {
        return QuerySettings.of(readTable, eventTable);
    }

    /** A fresh query container: empty LRU, no cache generation read yet, on the counted client. */
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
        return project(stream, viewOf(stream));
    }

    /** Folds the whole stream into {@code model}'s view and puts the row, as the projector would. */
    ViewRow project(StreamId stream, StreamView<?, ?> model) {
        ViewRow row = fold(stream, model, Long.MAX_VALUE);
        put(row);
        return row;
    }

    /** The view of {@code stream} at {@code version}, folded here from the stored events: the history, independently. */
    ViewRow viewAt(StreamId stream, long version) {
        return fold(stream, viewOf(stream), version);
    }

    /** The view a plain GET of the stream serves: its account or order view. */
    static StreamView<?, ?> viewOf(StreamId stream) {
        return stream.type().equals(Orders.STREAM_TYPE) ? OrderView.MODEL : AccountView.MODEL;
    }

    private <E, V> ViewRow fold(StreamId stream, StreamView<E, V> model, long version) {
        List<RecordedEvent> events = store.load(stream, 1, version);
        assertThat(events).as("events of %s", stream).isNotEmpty();
        return ViewRow.of(stream, model, model.projection().replay(null, events, model.codec()));
    }

    /** Adds the current state of each order (projected first) to its dashboard row, as the projector's batches would. */
    void addToDashboard(String... orderIds) {
        for (String orderId : orderIds) {
            ViewRow row = project(StreamId.of("order", orderId));
            SortedMap<String, BigInteger> change = OrderDashboard.TALLY.change(null, OrderView.MODEL.fromJson(row.json()));
            Update addition = TallyRows.addition(readTable.name(), OrderDashboard.TALLY.shardKeyOf(row.key()), change);
            plain.updateItem(update -> update.tableName(addition.tableName()).key(addition.key())
                    .updateExpression(addition.updateExpression())
                    .expressionAttributeNames(addition.expressionAttributeNames())
                    .expressionAttributeValues(addition.expressionAttributeValues()));
        }
    }

    /** What a projector does when it cannot reach Redis: every entry written before is no longer trusted. */
    void advanceCacheGeneration() {
        new CacheGeneration(plain, readTable).advance();
    }

    long cacheGeneration() {
        return new CacheGeneration(plain, readTable).current();
    }

    // ---- rows written directly, for what commands cannot make happen --------------------------------

    /** Puts {@code row} in the read table as it is. */
    void put(ViewRow row) {
        plain.putItem(put -> put.tableName(readTable.name()).item(row.item()));
    }

    /**
     * Puts the row of an order placed at {@code placedAt} (a time the command clock cannot give,
     * such as a fraction of a second) with {@code lines} lines, each of a 64-character SKU, as the
     * projector writes it; there are no events behind it.
     */
    ViewRow putOrder(String orderId, String customerId, Instant placedAt, int lines) {
        List<OrderLine> ordered = new ArrayList<>();
        for (int line = 0; line < lines; line++) {
            ordered.add(new OrderLine(String.format("%-64s", "sku-" + line).replace(' ', 'x'), 1, Money.of(100, "EUR")));
        }
        OrderView view = new OrderView(orderId, customerId, "a-1", OrderStatus.PLACED, ordered, Money.of(100L * lines, "EUR"),
                null, null, null, 1, placedAt, placedAt);
        ViewRow row = ViewRow.of(StreamId.of("order", orderId), OrderView.MODEL, view);
        put(row);
        return row;
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
