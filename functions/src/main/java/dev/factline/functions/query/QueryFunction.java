package dev.factline.functions.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.functions.config.Environment;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.snapstart.Primed;
import dev.factline.functions.personal.PersonalDataKeys;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.snapstart.Priming;
import dev.factline.personal.DataKeys;
import dev.factline.personal.PersonalData;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.view.CacheGeneration;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadModelPointers;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The query function: every read route of the HTTP API (payload format 2.0), see
 * {@link QueryRoutes}. Views are served cache-aside (Redis, then the read table), rebuilt from the event store when a client asks for more than the read side has
 * (a minimum version, a consistent read) or for the past (a version, an instant); histories are
 * paged from the event store. Every failure becomes an RFC 9457 problem, the command side's types.
 *
 * <p><b>SnapStart.</b> The constructor builds the DynamoDB and Redis clients (which connect on
 * first use), the store and an empty tally LRU, once. Nothing built there holds a time, a random value
 * or a connection: the repair list is first read on first use of Redis, entry lifetimes start
 * when entries are put, and correlation ids are drawn per request. Before the snapshot,
 * {@link #prime()} runs two reads through an offline copy.
 */
public final class QueryFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Primed {

    /** A read is small: well inside API Gateway's 30 s even with the SDK's retries, so a slow table is a 503 from here. */
    private static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(6);
    /** Without a master key an answer holding sealed personal data is a 500 naming why, never ciphertext. */
    private static final DataKeys NO_KEYS = DataKeys.none("this query function was built without a master key");
    /** Tally summaries the LRU holds: each is one entry, and a function serves a handful. */
    private static final int TALLIES_KEPT = 16;

    /** Every hosted read model's rebuilds and the version served: a route for people watching a system, as {@code /streams} is. */
    public static final String REBUILDS_PATH = RebuildReads.PATH;

    private final QueryRoutes routes;
    private final DataKeys keys;
    private final QueryLog log;
    private final QueryMetrics metrics;

    /** For Lambda: {@link #fromEnvironment} of the process environment, primed before a SnapStart snapshot. */
    public QueryFunction() {
        this(Environment.system());
        Primed.register(this);
    }

    private QueryFunction(Environment environment) {
        this(QuerySettings.from(environment), ViewCache.fromEnvironment(environment), environment);
    }

    /** The settings are read before the DynamoDB client is built, so a bad one is what stops the function. */
    private QueryFunction(QuerySettings settings, ViewCache cache, Environment environment) {
        this(environment.dynamoDb(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT), settings, cache, environment);
    }

    private QueryFunction(DynamoDbClient dynamo, QuerySettings settings, ViewCache cache, Environment environment) {
        this(HostedReadModels.STANDARD, dynamo, PersonalDataKeys.fromEnvironment(environment, dynamo, settings.eventTable()), settings, cache,
                Clock.systemUTC(), QueryLog.standardOutput(), QueryMetrics.embedded());
    }

    /**
     * The query function as {@code environment} describes it, the one way Lambda (through the
     * no-arg constructor) and the local pipeline build it: the tables and the caches' settings as
     * {@link QuerySettings} reads them, the Redis cache as {@link ViewCache#fromEnvironment} builds
     * it, a DynamoDB client configured from the environment's region, endpoint and credentials.
     *
     * @throws IllegalStateException naming the variable, when a setting is missing or malformed
     */
    public static QueryFunction fromEnvironment(Environment environment) {
        return new QueryFunction(environment);
    }

    /** On clients built elsewhere (a test's, a benchmark's), logging to standard output, with embedded metrics. */
    public QueryFunction(DynamoDbClient dynamo, QuerySettings settings, ViewCache cache, InstantSource clock) {
        this(HostedReadModels.STANDARD, dynamo, settings, cache, clock);
    }

    /** Serving {@code models} (every version of a read model its routes name), on clients built elsewhere. */
    public QueryFunction(ReadModels models, DynamoDbClient dynamo, QuerySettings settings, ViewCache cache, InstantSource clock) {
        this(models, dynamo, NO_KEYS, settings, cache, clock, QueryLog.standardOutput(), QueryMetrics.embedded());
    }

    /** On clients built elsewhere, revealing personal data with {@code keys}. */
    public QueryFunction(DynamoDbClient dynamo, DataKeys keys, QuerySettings settings, ViewCache cache, InstantSource clock) {
        this(HostedReadModels.STANDARD, dynamo, keys, settings, cache, clock, QueryLog.standardOutput(), QueryMetrics.embedded());
    }

    QueryFunction(DynamoDbClient dynamo, QuerySettings settings, ViewCache cache, InstantSource clock, QueryLog log, QueryMetrics metrics) {
        this(HostedReadModels.STANDARD, dynamo, NO_KEYS, settings, cache, clock, log, metrics);
    }

    QueryFunction(ReadModels models, DynamoDbClient dynamo, DataKeys keys, QuerySettings settings, ViewCache cache, InstantSource clock,
            QueryLog log, QueryMetrics metrics) {
        Objects.requireNonNull(dynamo, "dynamo");
        Objects.requireNonNull(clock, "clock");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.log = Objects.requireNonNull(log, "log");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        ViewTable table = new ViewTable(dynamo, settings.readTable(), ViewItems.claimedWith(settings.claims()));
        DynamoDbEventStore events = new DynamoDbEventStore(dynamo, settings.eventTable(), StoreLimits.defaults(), clock)
                .withClaimChecks(settings.claims());
        RedisGate redis = new RedisGate(cache, new CacheGeneration(dynamo, settings.readTable()), clock, settings.generationCheck());
        TimedLru<String, Representation> recentTallies = new TimedLru<>(TALLIES_KEPT, settings.tallyTimeToLive(), clock);
        Rebuilds rebuilds = new Rebuilds(events);
        ServedReadModels served = new ServedReadModels(models, new ReadModelPointers(dynamo, settings.readTable()), clock, settings.generationCheck());
        this.routes = new QueryRoutes(HostedDomains.STANDARD,
                new ViewReads(served, new CachedViews(redis, table), rebuilds),
                new ListingReads(served, table),
                new TallyReads(served, recentTallies, table),
                new HistoryReads(events),
                new StreamSearch(served, table),
                new RebuildReads(models, served, new RebuildLedger(dynamo, settings.readTable())));
    }

    /** Before the SnapStart snapshot: reads a view and a history on an offline copy of this function, without a cache. */
    @Override
    public void prime() {
        try (DynamoDbClient offline = Priming.dynamoDb()) {
            QueryFunction copy = new QueryFunction(offline, QuerySettings.of(Priming.READ_TABLE, Priming.EVENT_TABLE), ViewCache.none(),
                    Priming.CLOCK, new QueryLog(line -> { }), QueryMetrics.none());
            Priming.answered(copy.handleRequest(Priming.request("GET", "/accounts/" + Priming.ID, null), null), "GET /accounts/{id}");
            Priming.answered(copy.handleRequest(Priming.request("GET", "/orders/" + Priming.ID + "/events", null), null), "GET /orders/{id}/events");
        }
    }

    /** The routes this function answers ({@code "GET /dashboard"}, ...); others are 404 or 405. */
    public List<String> routeKeys() {
        return routes.keys();
    }

    /**
     * The answer as a client may see it: every sealed personal value opened, or erased once its
     * subject is forgotten. Views, histories, listings and rebuilt models all keep sealed text;
     * this is the one place it is opened, so every read route is covered alike. An answer with an
     * erased value gets a weak tag of what it now says: its stored form, and so its version or
     * stored-content tag, is what it was when the value read plain, and a client holding that
     * plain copy must not be told 304.
     */
    private Representation revealed(Representation answer, QueryExchange exchange) {
        PersonalData.Revealed revealed = PersonalData.open(answer.json(), keys,
                "the answer to " + exchange.request().method() + " " + exchange.request().path());
        if (revealed.json().equals(answer.json())) {
            return answer;
        }
        return new Representation(revealed.json(), revealed.erasedAny() ? EntityTags.weakOf(revealed.json()) : answer.etag(), answer.version());
    }

    /** Parse, read, answer: every failure on the way becomes a problem, never an exception to Lambda. */
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, @Nullable Context context) {
        QueryExchange exchange = new QueryExchange(HttpRequest.of(event), log, metrics);
        try {
            Query query = routes.read(exchange);
            Representation answer = query.reader().read(exchange.trace());
            return exchange.answered(query, revealed(answer, exchange));
        } catch (RuntimeException failure) {
            return exchange.failed(failure);
        }
    }
}
