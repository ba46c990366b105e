package dev.factline.functions.topology;

import static dev.factline.functions.config.FunctionSettings.EVENT_TABLE;
import static dev.factline.functions.config.FunctionSettings.MASTER_KEY;
import static dev.factline.functions.config.FunctionSettings.PAYLOAD_BUCKET;
import static dev.factline.functions.config.FunctionSettings.PUBLISHED_EVENTS_STREAM;
import static dev.factline.functions.config.FunctionSettings.READ_TABLE;
import static dev.factline.functions.config.FunctionSettings.REDIS_TIMEOUT_MS;
import static dev.factline.functions.config.FunctionSettings.REDIS_URL;
import static dev.factline.functions.config.FunctionSettings.SNAPSHOT_INTERVAL;
import static java.util.Map.entry;

import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.domain.Declarations.CommandPath;
import dev.factline.functions.domain.Declarations.ReadPath;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.rebuild.RebuildFunction;
import dev.factline.functions.saga.SagaFunction;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.view.ReadTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline, declared once: its tables and streams, its functions with their settings and
 * permissions, the HTTP API's routes, and the stream triggers. The CDK stack and the local
 * pipeline both build from this, so what runs locally cannot drift from what is deployed.
 *
 * <p>Routes are declared once, by the hosted domains ({@link HostedDomains}): the functions build
 * their route tables from them (and answer 404 and 405), and the routes here, what the API sends to
 * each function, are read from the same declarations; {@code TopologyTest} checks that both agree,
 * route for route. Each path also has an {@value ApiRoute#ANY} route to the function that owns it, so a
 * method the path does not accept reaches that function's 405 with {@code Allow}; without it, API
 * Gateway would answer {@code 404 {"message":"Not Found"}} itself. A method route wins over ANY
 * (API Gateway's route selection), so ANY catches only the other methods.
 */
public record Topology(
        EventTable eventTable,
        ReadTable readTable,
        String publishedEventsStream,
        List<FunctionSpec> functions,
        List<ApiRoute> routes,
        List<StreamTrigger> triggers) {

    public static final String COMMAND = "command";
    public static final String QUERY = "query";
    public static final String PROJECTOR = "projector";
    public static final String PUBLISHER = "publisher";
    public static final String SAGA = "saga";
    /** Run by the rebuild state machine, one invocation per step; no route and no trigger. */
    public static final String REBUILD = "rebuild";
    /** The event explorer's page (static files); it reads data only through the API, with the caller's authorization. */
    public static final String EXPLORER = "explorer";

    /** Stream triggers deliver commit items only: snapshots, idempotency claims and TTL deletions never reach a function. */
    public static final String COMMITS_ONLY = "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[\"commit\"]}}}}";

    public Topology {
        Objects.requireNonNull(eventTable, "eventTable");
        Objects.requireNonNull(readTable, "readTable");
        Objects.requireNonNull(publishedEventsStream, "publishedEventsStream");
        functions = List.copyOf(functions);
        routes = List.copyOf(routes);
        triggers = List.copyOf(triggers);
        Set<String> names = new HashSet<>();
        functions.forEach(function -> {
            if (!names.add(function.name())) {
                throw new IllegalArgumentException("function " + function.name() + " is declared twice");
            }
        });
        routes.forEach(route -> requireFunction(names, route.function(), "route " + route.key()));
        Map<String, String> owners = new HashMap<>();
        routes.forEach(route -> {
            String owner = owners.putIfAbsent(route.path(), route.function());
            if (owner != null && !owner.equals(route.function())) {
                // Only the function that has all of a path's routes can name them in a 405's Allow.
                throw new IllegalArgumentException("path " + route.path() + " is routed to " + owner + " and to " + route.function()
                        + "; one function must own all of a path's routes");
            }
        });
        triggers.forEach(trigger -> requireFunction(names, trigger.function(), "a stream trigger"));
    }

    /** Factline as it is deployed, with resource names starting {@code prefix} (e.g. {@code factline-dev}). */
    public static Topology standard(String prefix) {
        List<ApiRoute> routes = new ArrayList<>();
        for (CommandPath command : HostedDomains.STANDARD.commandRoutes()) {
            routes.add(new ApiRoute("POST", command.path(), COMMAND));
        }
        for (ReadPath read : HostedDomains.STANDARD.readRoutes()) {
            routes.add(new ApiRoute("GET", read.path(), QUERY));
            routes.add(new ApiRoute("HEAD", read.path(), QUERY));
        }
        routes.add(new ApiRoute("GET", QueryFunction.REBUILDS_PATH, QUERY));
        routes.add(new ApiRoute("HEAD", QueryFunction.REBUILDS_PATH, QUERY));
        routes.add(new ApiRoute("DELETE", CommandFunction.FORGET_PATH, COMMAND));
        routes.add(new ApiRoute("GET", ExplorerFunction.PAGE, EXPLORER));
        routes.add(new ApiRoute("GET", ExplorerFunction.FILES, EXPLORER));
        routes.addAll(otherMethods(routes));
        return new Topology(
                new EventTable(prefix + "-events"),
                new ReadTable(prefix + "-views"),
                prefix + "-published-events",
                List.of(
                        // The read table for the inline read models' rows, which commits write (the catalogue's products);
                        // the master key to issue subjects' data keys (kept in the event table) and unwrap them.
                        new FunctionSpec(COMMAND, CommandFunction.class.getName(), 1024, Duration.ofSeconds(10),
                                Map.of(EVENT_TABLE.name(), Resource.EVENT_TABLE, READ_TABLE.name(), Resource.READ_TABLE,
                                        MASTER_KEY.name(), Resource.MASTER_KEY, PAYLOAD_BUCKET.name(), Resource.PAYLOAD_BUCKET),
                                Map.ofEntries(SNAPSHOT_INTERVAL.set(100)),
                                Map.of(Resource.EVENT_TABLE, Access.APPEND, Resource.READ_TABLE, Access.INLINE_VIEWS,
                                        Resource.MASTER_KEY, Access.ENCRYPT, Resource.PAYLOAD_BUCKET, Access.APPEND)),
                        // Redis answers in well under a millisecond: a call that takes longer counts as Redis away, and the table answers.
                        new FunctionSpec(QUERY, QueryFunction.class.getName(), 1024, Duration.ofSeconds(10),
                                Map.of(READ_TABLE.name(), Resource.READ_TABLE, EVENT_TABLE.name(), Resource.EVENT_TABLE,
                                        REDIS_URL.name(), Resource.VIEW_CACHE, MASTER_KEY.name(), Resource.MASTER_KEY,
                                        PAYLOAD_BUCKET.name(), Resource.PAYLOAD_BUCKET),
                                Map.ofEntries(REDIS_TIMEOUT_MS.set(Duration.ofMillis(250))),
                                Map.of(Resource.READ_TABLE, Access.READ, Resource.EVENT_TABLE, Access.READ,
                                        Resource.VIEW_CACHE, Access.CONNECT, Resource.MASTER_KEY, Access.DECRYPT,
                                        Resource.PAYLOAD_BUCKET, Access.READ)),
                        // A batch's one pipeline carries many views, and a write given up on moves the cache generation: more time.
                        new FunctionSpec(PROJECTOR, ProjectorFunction.class.getName(), 1024, Duration.ofSeconds(60),
                                Map.of(READ_TABLE.name(), Resource.READ_TABLE, EVENT_TABLE.name(), Resource.EVENT_TABLE,
                                        REDIS_URL.name(), Resource.VIEW_CACHE, PAYLOAD_BUCKET.name(), Resource.PAYLOAD_BUCKET),
                                Map.ofEntries(REDIS_TIMEOUT_MS.set(Duration.ofMillis(500))),
                                Map.ofEntries(entry(Resource.READ_TABLE, Access.READ_WRITE), entry(Resource.EVENT_TABLE, Access.READ),
                                        entry(Resource.EVENT_STREAM, Access.READ), entry(Resource.VIEW_CACHE, Access.CONNECT),
                                        entry(Resource.PAYLOAD_BUCKET, Access.READ))),
                        new FunctionSpec(PUBLISHER, PublisherFunction.class.getName(), 512, Duration.ofSeconds(60),
                                Map.of(PUBLISHED_EVENTS_STREAM.name(), Resource.PUBLISHED_EVENTS, PAYLOAD_BUCKET.name(), Resource.PAYLOAD_BUCKET),
                                Map.of(),
                                Map.of(Resource.EVENT_STREAM, Access.READ, Resource.PUBLISHED_EVENTS, Access.WRITE,
                                        Resource.PAYLOAD_BUCKET, Access.READ)),
                        // Writes the event table through the same handlers as the command function, so the same grant and settings.
                        new FunctionSpec(SAGA, SagaFunction.class.getName(), 1024, Duration.ofSeconds(60),
                                Map.of(EVENT_TABLE.name(), Resource.EVENT_TABLE, READ_TABLE.name(), Resource.READ_TABLE,
                                        PAYLOAD_BUCKET.name(), Resource.PAYLOAD_BUCKET),
                                Map.ofEntries(SNAPSHOT_INTERVAL.set(100)),
                                Map.of(Resource.EVENT_TABLE, Access.APPEND, Resource.EVENT_STREAM, Access.READ,
                                        Resource.READ_TABLE, Access.INLINE_VIEWS, Resource.PAYLOAD_BUCKET, Access.APPEND)),
                        // Lambda's longest timeout: a segment works pages until two minutes are left, so fewer steps per segment.
                        // The event table is scanned and read for a fold's gaps; the read table takes the rows and the ledger.
                        new FunctionSpec(REBUILD, RebuildFunction.class.getName(), 1024, Duration.ofMinutes(15),
                                Map.of(EVENT_TABLE.name(), Resource.EVENT_TABLE, READ_TABLE.name(), Resource.READ_TABLE,
                                        PAYLOAD_BUCKET.name(), Resource.PAYLOAD_BUCKET),
                                Map.of(),
                                Map.of(Resource.EVENT_TABLE, Access.SCAN, Resource.READ_TABLE, Access.READ_WRITE,
                                        Resource.PAYLOAD_BUCKET, Access.READ)),
                        // Serves three files from its jar: no resource, no grant, the least memory that starts a JVM briskly.
                        new FunctionSpec(EXPLORER, ExplorerFunction.class.getName(), 256, Duration.ofSeconds(5),
                                Map.of(), Map.of(), Map.of())),
                routes,
                List.of(
                        // Lowest lag: invoke as soon as records arrive; a view row per stream per batch either way.
                        new StreamTrigger(PROJECTOR, 100, Duration.ZERO, COMMITS_ONLY, true, 5, Duration.ofDays(1), 1),
                        // Up to a PutRecords call's 500 records; a second of gathering fills calls on a busy table.
                        new StreamTrigger(PUBLISHER, 500, Duration.ofSeconds(1), COMMITS_ONLY, true, 5, Duration.ofDays(1), 1),
                        // A customer waits for the payment: no gathering. Each event costs a command (two writes with
                        // its key), so 50 records stay far inside the 60 s timeout even when every one retries.
                        new StreamTrigger(SAGA, 50, Duration.ZERO, COMMITS_ONLY, true, 5, Duration.ofDays(1), 1)));
    }

    public FunctionSpec function(String name) {
        return functions.stream().filter(function -> function.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + name + " in the topology"));
    }

    /** The routes API Gateway sends to {@code function}. */
    public List<ApiRoute> routesTo(String function) {
        return routes.stream().filter(route -> route.function().equals(function)).toList();
    }

    public Optional<StreamTrigger> triggerOf(String function) {
        return triggers.stream().filter(trigger -> trigger.function().equals(function)).findFirst();
    }

    /** One {@value ApiRoute#ANY} route per path, to the function its method routes go to. */
    private static List<ApiRoute> otherMethods(List<ApiRoute> routes) {
        Map<String, String> owners = new LinkedHashMap<>();
        routes.forEach(route -> owners.putIfAbsent(route.path(), route.function()));
        return owners.entrySet().stream().map(owner -> new ApiRoute(ApiRoute.ANY, owner.getKey(), owner.getValue())).toList();
    }

    private static void requireFunction(Set<String> names, String function, String usedBy) {
        if (!names.contains(function)) {
            throw new IllegalArgumentException(usedBy + " names function " + function + ", which the topology does not declare");
        }
    }
}
