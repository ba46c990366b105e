package dev.factline.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.projector.ProjectorMetrics;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalKinesis;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.ViewCache;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderState;
import dev.factline.order.Orders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline's tables, stream and cache on the local servers, built from the topology, and the
 * events the functions get on their first invoke, as JSON files in Lambda's shapes: HTTP API
 * requests for the command and query functions, and for the stream functions batches read off
 * the event table's stream (a customer opening an account, paying in and placing an order: a
 * fresh customer per batch, so no cold start meets work a previous one did). The servers are the
 * caller's to close.
 */
final class ColdStartWorld implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final String QUERIED_ACCOUNT = "a-queried";

    private final Path directory;
    private final LocalDynamo dynamo;
    private final LocalKinesis kinesis;
    private final LocalRedis redis;
    private final Topology topology;
    private final StreamTap tap;
    private final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts;
    private final CommandHandler<OrderCommand, OrderEvent, OrderState> orders;
    private int batches;

    ColdStartWorld(Path directory, LocalDynamo dynamo, LocalKinesis kinesis, LocalRedis redis) {
        this.directory = directory;
        this.dynamo = dynamo;
        this.kinesis = kinesis;
        this.redis = redis;
        this.topology = Topology.standard("cold-start");
        dynamo.createTable(topology.eventTable());
        dynamo.createTable(topology.readTable().createTableRequest());
        kinesis.createStream(topology.publishedEventsStream(), 1);
        DynamoDbEventStore store = new DynamoDbEventStore(dynamo.client(), topology.eventTable(), StoreLimits.defaults(), Clock.systemUTC());
        this.accounts = new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random());
        this.orders = new CommandHandler<>(Orders.TYPE, store, Clock.systemUTC(), IdGenerator.random());
        this.tap = StreamTap.atStart(dynamo, topology.eventTable().name());
    }

    /** The environment Lambda would give {@code function}, pointed at the local servers the SDK's own way. */
    Map<String, String> environment(String function) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                // Embedded metrics to standard output, as in Lambda, not to a CloudWatch agent.
                "AWS_EMF_ENVIRONMENT", "Local",
                "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString(),
                "AWS_ENDPOINT_URL_KINESIS", kinesis.endpoint().toString(),
                // kinesalite speaks JSON only; real Kinesis takes the SDK's default CBOR.
                "CBOR_ENABLED", "false"));
        if (function.isEmpty()) {
            return environment;
        }
        FunctionSpec spec = topology.function(function);
        spec.environment().forEach((variable, resource) -> environment.put(variable, switch (resource) {
            case EVENT_TABLE -> topology.eventTable().name();
            case READ_TABLE -> topology.readTable().name();
            case PUBLISHED_EVENTS -> topology.publishedEventsStream();
            case VIEW_CACHE -> redis.uri().toString();
            // The local pipeline's stand-in for KMS: a key file, written on first use.
            case MASTER_KEY -> "file:" + Path.of(System.getProperty("java.io.tmpdir"), "factline-cold-start", "master.key");
            // Named but never reached: a cold start writes no payload over the claim-check threshold, and the S3 client is built on first use.
            case PAYLOAD_BUCKET -> "factline-cold-start-payloads";
            case EVENT_STREAM -> throw new IllegalStateException(function + " is given the event stream in its environment");
        }));
        environment.putAll(spec.settings());
        return environment;
    }

    /** The environment of the hello-world and SDK-floor handlers: the SDK's variables, and the table the floor reads. */
    Map<String, String> baselineEnvironment() {
        Map<String, String> environment = environment("");
        environment.put(SdkFloorHandler.TABLE_VARIABLE, topology.eventTable().name());
        return environment;
    }

    FunctionSpec spec(String function) {
        return topology.function(function);
    }

    /** {@code POST /accounts}: opens an account with an id the function draws, so each cold start opens its own. */
    Path openAccountRequest() {
        return write("open-account.json", httpRequest("POST", "/accounts", "/accounts", Map.of(),
                "{\"ownerId\":\"c-cold-start\",\"currency\":\"EUR\"}"));
    }

    /**
     * {@code GET /accounts/{id}} of an account already projected: the projector (run here) writes
     * its view through to Redis, so the query function finds it there, as on a warm system.
     */
    Path readAccountRequest() {
        DynamodbEvent opened = customer(QUERIED_ACCOUNT, false);
        ViewCache cache = ViewCache.fromEnvironment(Environment.of(Map.of(FunctionSettings.REDIS_URL.name(), redis.uri().toString(),
                FunctionSettings.REDIS_TIMEOUT_MS.name(), "1000")));
        StreamsEventResponse projected = new ProjectorFunction(dynamo.client(), topology.readTable(), topology.eventTable(), cache,
                Clock.systemUTC(), ProjectorMetrics.none()).handleRequest(opened, null);
        if (!projected.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the queried account was not projected: " + projected.getBatchItemFailures());
        }
        return write("read-account.json", httpRequest("GET", "/accounts/{id}", "/accounts/" + QUERIED_ACCOUNT,
                Map.of("id", QUERIED_ACCOUNT), null));
    }

    /** A stream batch of a new customer's commits: account opened, money paid in, an order placed. */
    Path nextCommitBatch() {
        String id = "c" + batches++;
        return write("commits-" + id + ".json", StreamTap.toJson(customer(id, true)));
    }

    private DynamodbEvent customer(String accountId, boolean placesOrder) {
        accounts.handle(CommandRequest.of(Accounts.TYPE.streamId(accountId), new OpenAccount("c-" + accountId, EUR), metadata()));
        accounts.handle(CommandRequest.of(Accounts.TYPE.streamId(accountId), new DepositMoney(Money.of(5_000, "EUR"), null), metadata()));
        if (placesOrder) {
            orders.handle(CommandRequest.of(Orders.TYPE.streamId("o-" + accountId), new OrderCommand.PlaceOrder("c-" + accountId, accountId, EUR,
                    List.of(new OrderLine("sku-1", 1, Money.of(1_250, "EUR")))), metadata()));
        }
        return tap.drainAll();
    }

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("cmd-" + UUID.randomUUID());
    }

    /** An HTTP API request in payload format 2.0, the fields API Gateway fills. */
    private static String httpRequest(String method, String route, String path, Map<String, String> pathParameters,
            @Nullable String jsonBody) {
        ObjectNode event = JSON.createObjectNode();
        String routeKey = method + " " + route;
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("accept", "application/json");
        headers.put("host", "api.example.com");
        headers.put("user-agent", "cold-start");
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "cold");
        context.put("domainName", "api.example.com");
        context.put("domainPrefix", "api");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "192.0.2.1");
        http.put("userAgent", "cold-start");
        context.put("requestId", "cold-start");
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", "01/Jan/2025:00:00:00 +0000");
        context.put("timeEpoch", 1_735_689_600_000L);
        if (jsonBody != null) {
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(jsonBody.getBytes(StandardCharsets.UTF_8).length));
            event.put("body", jsonBody);
        }
        event.put("isBase64Encoded", false);
        return event.toString();
    }

    private Path write(String name, String json) {
        try {
            return Files.writeString(directory.resolve(name), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tap.close();
    }
}
