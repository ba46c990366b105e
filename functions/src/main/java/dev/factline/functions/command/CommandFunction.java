package dev.factline.functions.command;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.domain.CommandHandlers;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.observability.CommandMetrics;
import dev.factline.functions.snapstart.Primed;
import dev.factline.functions.snapstart.Priming;
import dev.factline.personal.DataKeys;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The command function: every command route of the HTTP API (payload format 2.0), for every
 * aggregate of the hosted domains alike. Each request is read into a command, handed to the
 * kernel's {@link dev.factline.eventsourcing.CommandHandler} of its aggregate, and answered with
 * the events it recorded ({@code 201}/{@code 200}) or with an RFC 9457 problem.
 *
 * <p><b>One function for every aggregate.</b> Every command route shares one SnapStart snapshot
 * and one pool of warm containers, so a rarely used route (a cancellation) runs on containers
 * that the busy ones (deposits) keep warm, instead of paying cold starts of its own. Splitting
 * would narrow no permission: every route needs exactly the same IAM scope, read and write on
 * the event table and nothing else.
 *
 * <p><b>SnapStart.</b> The constructor builds what every request shares, once: the DynamoDB
 * client, the store, and one {@code CommandHandler} per aggregate type. Nothing built there holds
 * a time, a random value or an open connection: the clock and the id generator are read per
 * request, and the SDK opens connections on first use. Before the snapshot, {@link #prime()} runs
 * two commands through an offline copy, so the restored function has its code paths loaded.
 */
public final class CommandFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Primed {

    /** Where a subject is forgotten ({@code DELETE}): this function's own route, beside the domains' commands. */
    public static final String FORGET_PATH = "/subjects/{id}/personal-data";

    private final CommandRoutes routes;
    private final CommandHandlers handlers;
    private final DataKeys keys;
    private final IdGenerator ids;
    private final RequestLog log;
    private final CommandMetrics metrics;

    /** For Lambda: {@link #fromEnvironment} of the process environment, primed before a SnapStart snapshot. */
    public CommandFunction() {
        this(EventWriting.fromEnvironment(Environment.system()));
        Primed.register(this);
    }

    /** {@code writing}'s store already seals the personal fields. */
    private CommandFunction(EventWriting writing) {
        this(writing.store(), writing.keys(), Clock.systemUTC(), IdGenerator.random(), writing.policy(), RequestLog.standardOutput(),
                CommandMetrics.embedded());
    }

    /**
     * The command function as {@code environment} describes it, the one way Lambda (through the
     * no-arg constructor) and the local pipeline build it: the event table, the payload limit and
     * the snapshot interval as {@link EventWriting} reads them, a DynamoDB client configured from
     * the environment's region, endpoint and credentials.
     *
     * @throws IllegalStateException naming the variable, when a setting is missing or malformed
     */
    public static CommandFunction fromEnvironment(Environment environment) {
        return new CommandFunction(EventWriting.fromEnvironment(environment));
    }

    /** On a store built elsewhere, with no master key: a command that carries personal data is refused, never stored plain. */
    public CommandFunction(EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy) {
        this(store, DataKeys.none("this command function was built without a master key"), clock, ids, policy);
    }

    /** On a store built elsewhere, sealing personal data with {@code keys}. */
    public CommandFunction(EventStore store, DataKeys keys, InstantSource clock, IdGenerator ids, WritePolicy policy) {
        this(EventWriting.sealing(store, keys), keys, clock, ids, policy, RequestLog.standardOutput(), CommandMetrics.embedded());
    }

    /** With the log kept by the caller and no metrics: for tests that read the log. */
    CommandFunction(EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy, RequestLog log) {
        this(store, clock, ids, policy, log, CommandMetrics.none());
    }

    CommandFunction(EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy, RequestLog log, CommandMetrics metrics) {
        this(EventWriting.sealing(store, DataKeys.none("this command function was built without a master key")),
                DataKeys.none("this command function was built without a master key"), clock, ids, policy, log, metrics);
    }

    /** @param sealing a store that seals personal fields with {@code keys} ({@link EventWriting#sealing}) */
    CommandFunction(EventStore sealing, DataKeys keys, InstantSource clock, IdGenerator ids, WritePolicy policy, RequestLog log,
            CommandMetrics metrics) {
        this.ids = Objects.requireNonNull(ids, "ids");
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.routes = new CommandRoutes(HostedDomains.STANDARD, ids, keys);
        this.handlers = CommandHandlers.of(HostedDomains.STANDARD, sealing, clock, ids, policy, log.warnings());
    }

    /** Parse, decide, respond: every failure on the way becomes a problem, never an exception to Lambda. */
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, @Nullable Context context) {
        Exchange exchange = new Exchange(HttpRequest.of(event), ids, log, metrics);
        try {
            Submission submission = routes.read(exchange);
            CommandResult result = submission.handle(handlers);
            return exchange.succeeded(submission, result, keys);
        } catch (RuntimeException failure) {
            return exchange.failed(failure);
        }
    }

    /** Before the SnapStart snapshot: opens an account and places an order on an offline copy of this function. */
    @Override
    public void prime() {
        try (DynamoDbClient offline = Priming.dynamoDb()) {
            CommandFunction copy = new CommandFunction(Priming.eventStore(offline), Priming.CLOCK, Priming.ids(), WritePolicy.defaults(),
                    new RequestLog(line -> { }), CommandMetrics.none());
            Priming.answered(copy.handleRequest(Priming.request("POST", "/accounts",
                    "{\"accountId\":\"priming\",\"ownerId\":\"priming\",\"currency\":\"EUR\"}"), null), "POST /accounts");
            Priming.answered(copy.handleRequest(Priming.request("POST", "/orders", "{\"orderId\":\"priming\",\"customerId\":\"priming\",\"accountId\":\"priming\","
                    + "\"currency\":\"EUR\",\"lines\":[{\"sku\":\"priming\",\"quantity\":1,\"unitPrice\":{\"minorUnits\":100,\"currency\":\"EUR\"}}]}"), null),
                    "POST /orders");
        }
    }

    /** The routes this function answers ({@code "POST /accounts"}, ...); others are 404 or 405. */
    public List<String> routeKeys() {
        return routes.keys();
    }
}
