package dev.factline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.NodeServer;
import dev.factline.emulators.NodeServer.Emulator;
import dev.factline.emulators.OutsideEndpoints;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.config.Environment;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.saga.SagaFunction;
import dev.factline.functions.topology.ApiDocument;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import dev.factline.functions.topology.StreamTrigger;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.HostedReadModels;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The whole pipeline in this JVM: dynalite and kinesalite as Node child processes, a real Redis
 * (embedded-redis, or the one {@code REDIS_URL} names), the tables and the Kinesis stream the
 * topology declares, the five functions built once by their own factories from an environment that
 * points them at these servers ({@link LocalEnvironment}), the stream triggers, and the HTTP API on
 * a local port. {@link #close()} stops all of it, children included.
 *
 * <p>With a data folder ({@link Options#data()}; {@link DataFolder}) dynalite, kinesalite, the parked records and the
 * triggers' checkpoints keep their state there, so a pipeline started again on it (after a clean
 * stop or a {@code kill -9}) has every acknowledged write and resumes its triggers where they
 * were; a dynalite or kinesalite that dies is then restarted on the folder like redis-server.
 * Without one (the default, what tests use) everything is in memory and goes with the pipeline.
 */
public final class LocalPipeline implements AutoCloseable {

    private static final Emulator DYNALITE = new Emulator("dynalite", "DynamoDB");
    private static final Emulator KINESALITE = new Emulator("kinesalite", "Kinesis");
    private static final Emulator REDIS = new Emulator("redis", "Redis");
    private static final Emulator S3RVER = new Emulator("s3rver", "S3");
    /** The payload bucket, s3rver's only one; it signs with the credentials LocalEnvironment gives every function. */
    static final String PAYLOAD_BUCKET = "factline-local-payloads";
    private static final Map<String, String> S3RVER_SETTINGS = Map.of("S3RVER_BUCKETS", PAYLOAD_BUCKET,
            "S3RVER_ACCESS_KEY_ID", "local", "S3RVER_SECRET_ACCESS_KEY", "local");
    /** The variable naming the master key file of personal data when the pipeline keeps no data folder (--in-memory). */
    static final String MASTER_KEY_FILE = "FACTLINE_MASTER_KEY_FILE";
    private static final String IN_MEMORY_ONLY = "it kept its data in memory (--in-memory), which went with it, and";

    /**
     * How to start: the HTTP port (0 = any free one), the resources' name prefix, an existing Redis
     * (null = start one), the base of the triggers' retry backoff, the Kinesis stream's shards, the
     * data folder (null = everything in memory), outside DynamoDB, Streams and Kinesis endpoints to
     * use instead of starting dynalite and kinesalite (null = start them), and the credentials the
     * API's routes want requests signed with, as the deployed API's IAM auth does (null = no auth), and
     * the most containers each function runs at once (a function's lower reserved concurrency wins).
     */
    public record Options(int port, String prefix, @Nullable URI redisUrl, Duration retryBackoff, int publishedShards, @Nullable Path data,
                          @Nullable OutsideEndpoints endpoints, @Nullable LocalCredentials iam, int concurrency) {

        public Options {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency is at least 1 container per function, not " + concurrency);
            }
        }

        public static Options defaults() {
            return new Options(0, "factline-local", null, Duration.ofMillis(200), 2, null, null, null, defaultConcurrency());
        }

        public Options withConcurrency(int value) {
            return new Options(port, prefix, redisUrl, retryBackoff, publishedShards, data, endpoints, iam, value);
        }

        public Options withPort(int value) {
            return new Options(value, prefix, redisUrl, retryBackoff, publishedShards, data, endpoints, iam, concurrency);
        }

        public Options withPrefix(String value) {
            return new Options(port, value, redisUrl, retryBackoff, publishedShards, data, endpoints, iam, concurrency);
        }

        public Options withRedisUrl(@Nullable URI value) {
            return new Options(port, prefix, value, retryBackoff, publishedShards, data, endpoints, iam, concurrency);
        }

        public Options withRetryBackoff(Duration value) {
            return new Options(port, prefix, redisUrl, value, publishedShards, data, endpoints, iam, concurrency);
        }

        public Options withData(@Nullable Path value) {
            return new Options(port, prefix, redisUrl, retryBackoff, publishedShards, value, endpoints, iam, concurrency);
        }

        public Options withEndpoints(@Nullable OutsideEndpoints value) {
            return new Options(port, prefix, redisUrl, retryBackoff, publishedShards, data, value, iam, concurrency);
        }

        public Options withIam(@Nullable LocalCredentials value) {
            return new Options(port, prefix, redisUrl, retryBackoff, publishedShards, data, endpoints, value, concurrency);
        }
    }

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Topology topology;
    private ParkedRecords parked = new ParkedRecords();
    private final Map<String, LocalFunction<?, ?>> functions = new LinkedHashMap<>();
    private final Map<String, LocalFunction<DynamodbEvent, StreamsEventResponse>> streamFunctions = new LinkedHashMap<>();
    private final List<EventSourceMapping> mappings = new ArrayList<>();
    private @Nullable HttpApiGateway gateway;
    private @Nullable DynamoDbClient dynamo;
    private @Nullable URI dynamoEndpoint;
    private @Nullable URI kinesisEndpoint;
    private @Nullable URI s3Endpoint;
    private @Nullable URI redisUrl;
    private String backend = "dynalite";
    private @Nullable DataFolder data;
    private int concurrency;

    private LocalPipeline(Topology topology) {
        this.topology = topology;
    }

    /** Starts everything; on any failure stops what had started and rethrows. */
    public static LocalPipeline start(Options options) {
        LocalPipeline pipeline = new LocalPipeline(Topology.standard(options.prefix()));
        try {
            pipeline.startAll(options);
            return pipeline;
        } catch (RuntimeException | IOException e) {
            pipeline.close();
            throw e instanceof RuntimeException runtime ? runtime : new UncheckedIOException((IOException) e);
        }
    }

    private void startAll(Options options) throws IOException {
        concurrency = options.concurrency();
        Path root = NodeServer.repositoryRoot("tools/dynalite-server.js");
        @Nullable OutsideEndpoints outside = options.endpoints();
        @Nullable DataFolder folder = options.data() == null || outside != null ? null : DataFolder.open(options.data());
        if (folder != null) {
            running.push(folder);
            data = folder;
            parked = ParkedRecords.keptIn(folder.parkedRecords());
        }
        Function<DynamoDbStreamsClientBuilder, DynamoDbStreamsClientBuilder> streamsClient;
        DynamoDbClient dynamo;
        KinesisClient kinesis;
        // kinesalite cannot answer the SDK's default CBOR; this JVM's Kinesis clients speak JSON.
        System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), "false");
        if (outside == null) {
            NodeServer dynalite = startChild(emulator(root, "dynalite", DYNALITE, folder == null ? null : folder.dynalite(),
                    " a new one would have no tables, so every command and trigger would fail against it"));
            NodeServer kinesalite = startChild(emulator(root, "kinesalite", KINESALITE, folder == null ? null : folder.kinesalite(),
                    " a new one would have no stream, so the publisher would fail against it"));
            dynamoEndpoint = dynalite.endpoint();
            kinesisEndpoint = kinesalite.endpoint();
            streamsClient = dynalite::configure;
            dynamo = dynalite.configure(DynamoDbClient.builder()).build();
            kinesis = kinesalite.configure(KinesisClient.builder()).build();
        } else {
            dynamoEndpoint = outside.dynamoDb();
            kinesisEndpoint = outside.kinesis();
            streamsClient = builder -> OutsideEndpoints.configure(builder, outside.streams());
            dynamo = OutsideEndpoints.configure(DynamoDbClient.builder(), outside.dynamoDb()).build();
            kinesis = OutsideEndpoints.configure(KinesisClient.builder(), outside.kinesis()).build();
        }
        backend = outside == null ? "dynalite" : outside.describe();
        redisUrl = options.redisUrl() != null ? options.redisUrl() : startRedis(root);
        s3Endpoint = startChild(emulator(root, "s3rver", S3RVER, S3RVER_SETTINGS, folder == null ? null : folder.s3rver(),
                " a new one would have no payloads, so events claim-checked before it died would not read")).endpoint();
        running.push(dynamo);
        this.dynamo = dynamo;
        running.push(kinesis);

        // A data folder from an earlier run has them already.
        createTableIfAbsent(dynamo, topology.eventTable().createTableRequest());
        if (dynamo.describeTimeToLive(b -> b.tableName(topology.eventTable().name())).timeToLiveDescription().timeToLiveStatus()
                != TimeToLiveStatus.ENABLED) {
            dynamo.updateTimeToLive(topology.eventTable().timeToLiveRequest());
        }
        createTableIfAbsent(dynamo, topology.readTable().createTableRequest());
        try {
            kinesis.createStream(b -> b.streamName(topology.publishedEventsStream()).shardCount(options.publishedShards()));
        } catch (ResourceInUseException alreadyThere) {
            // kept in the data folder
        }
        NodeServer.awaitActive("stream " + topology.publishedEventsStream(), () -> kinesis.describeStreamSummary(
                b -> b.streamName(topology.publishedEventsStream())).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);

        LocalEnvironment local = new LocalEnvironment(Map.of(
                Resource.EVENT_TABLE, topology.eventTable().name(),
                Resource.EVENT_STREAM, dynamo.describeTable(b -> b.tableName(topology.eventTable().name())).table().latestStreamArn(),
                Resource.READ_TABLE, topology.readTable().name(),
                Resource.PUBLISHED_EVENTS, topology.publishedEventsStream(),
                Resource.VIEW_CACHE, Objects.requireNonNull(redisUrl).toString(),
                Resource.MASTER_KEY, "file:" + masterKeyFile(folder),
                Resource.PAYLOAD_BUCKET, PAYLOAD_BUCKET), dynamoEndpoint, kinesisEndpoint, Objects.requireNonNull(s3Endpoint));
        Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> http = new LinkedHashMap<>();
        Map<String, LocalFunction<DynamodbEvent, StreamsEventResponse>> streams = new LinkedHashMap<>();
        for (FunctionSpec spec : topology.functions()) {
            switch (spec.name()) {
                case Topology.COMMAND -> http.put(spec.name(), function(spec, options, local, CommandFunction::fromEnvironment));
                case Topology.QUERY -> http.put(spec.name(), function(spec, options, local, QueryFunction::fromEnvironment));
                case Topology.EXPLORER -> http.put(spec.name(), function(spec, options, local, ExplorerFunction::fromEnvironment));
                case Topology.PROJECTOR -> streams.put(spec.name(), function(spec, options, local, ProjectorFunction::fromEnvironment));
                case Topology.SAGA -> streams.put(spec.name(), function(spec, options, local, SagaFunction::fromEnvironment));
                case Topology.PUBLISHER -> streams.put(spec.name(), function(spec, options, local, PublisherFunction::fromEnvironment));
                // Run by a state machine on AWS; locally, factline-replay rebuild runs the same segment worker in-process.
                case Topology.REBUILD -> { }
                default -> throw new IllegalStateException("the topology declares function " + spec.name()
                        + ", which the local pipeline does not know how to build");
            }
        }
        functions.putAll(http);
        functions.putAll(streams);
        streamFunctions.putAll(streams);
        for (StreamTrigger trigger : topology.triggers()) {
            LocalFunction<DynamodbEvent, StreamsEventResponse> function = Objects.requireNonNull(streams.get(trigger.function()),
                    () -> "trigger of " + trigger.function() + ", which is not a stream function");
            EventSourceMapping mapping = new EventSourceMapping(trigger, function, () -> streamsClient.apply(DynamoDbStreamsClient.builder()),
                    topology.eventTable().name(), parked, options.retryBackoff(),
                    folder == null ? Checkpoints.inMemory() : Checkpoints.in(folder.checkpoints(), trigger.function()));
            running.push(mapping);
            mappings.add(mapping);
        }
        HttpApiGateway api = new HttpApiGateway(options.port(), topology.routes(), http, Map.of(
                "GET /_local/parked", parked::json,
                "POST /_local/parked/redrive", this::redrive,
                "GET /_local/environment", this::environmentJson,
                "GET /_local/lag", this::lagJson,
                "GET /_local/functions", this::functionsJson,
                PublishedContracts.ASYNCAPI_ROUTE, PublishedContracts::asyncApi,
                ApiDocument.ROUTE, ApiDocument::json),
                Map.of(PublishedContracts.SCHEMAS_ROUTE, PublishedContracts::schema),
                options.iam() == null ? null : new SignatureCheck(options.iam(), LocalEnvironment.REGION, Clock.systemUTC()));
        running.push(api);
        gateway = api;
    }

    /**
     * The function as Lambda runs it, up to {@code options.concurrency()} containers (or its lower reserved
     * concurrency), each built as Lambda builds one: by its factory, from what the CDK stack would put in its
     * environment; every container's clients close when the function stops.
     */
    private <I, O> LocalFunction<I, O> function(FunctionSpec spec, Options options, LocalEnvironment local,
            Function<Environment, ? extends RequestHandler<I, O>> factory) {
        LocalFunction<I, O> function = new LocalFunction<>(spec, options.concurrency(),
                closeAtStop -> factory.apply(Environment.of(local.variables(spec), closeAtStop)));
        running.push(function);
        return function;
    }

    /** How many containers each function runs at most when none is reserved lower: 4 per processor, since a container mostly waits on the emulators. */
    public static int defaultConcurrency() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    /**
     * dynalite or kinesalite as a supervised child: on a data folder it keeps its state in {@code dataDir}
     * and is restarted on it when it dies; in memory a restart would bring back nothing, so it is only reported.
     */
    private static SupervisedChild emulator(Path root, String name, Emulator emulator, @Nullable Path dataDir, String whatANewOneLacks) {
        return emulator(root, name, emulator, Map.of(), dataDir, whatANewOneLacks);
    }

    /** As above, with {@code settings} in the launcher's environment (s3rver's bucket and key pair). */
    private static SupervisedChild emulator(Path root, String name, Emulator emulator, Map<String, String> settings, @Nullable Path dataDir,
            String whatANewOneLacks) {
        Path launcher = root.resolve("tools/" + name + "-server.js");
        if (dataDir == null) {
            return SupervisedChild.notRestarted(name, IN_MEMORY_ONLY + whatANewOneLacks,
                    port -> NodeServer.start("node", launcher, port, settings, emulator, server -> server));
        }
        Map<String, String> environment = new HashMap<>(settings);
        environment.put(name.toUpperCase(Locale.ROOT) + "_DATA_DIR", dataDir.toString());
        return SupervisedChild.restarting(name, port -> NodeServer.start("node", launcher, port, environment, emulator, server -> server));
    }

    private NodeServer startChild(SupervisedChild child) {
        running.push(child);
        return child.server();
    }

    /**
     * A redis-server from the embedded-redis jar, restarted on its port if it dies (it is a cache:
     * the projector writes through again and reads fall back to the read table meanwhile). It runs
     * under {@code tools/redis-server.js}, which ends it and removes its temp folder (the copy of the
     * binary) when the JVM goes, however it goes: redis-server itself never notices that its parent died.
     */
    private URI startRedis(Path root) {
        SupervisedChild redis = SupervisedChild.restarting("redis-server", port -> startRedisLauncher(root.resolve("tools/redis-server.js"), port));
        running.push(redis);
        return URI.create("redis://127.0.0.1:" + redis.port());
    }

    private static NodeServer startRedisLauncher(Path launcher, int port) {
        Path folder;
        try {
            folder = Files.createTempDirectory("factline-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temp folder for redis-server", e);
        }
        try {
            File binary = ExecutableProvider.newJarResourceProvider(folder.toFile()).get();
            return NodeServer.start("node", launcher, port, Map.of("REDIS_SERVER_BINARY", binary.toString(), "REDIS_SERVER_TEMP_DIR",
                    folder.toString()), REDIS, server -> server);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(folder);
            throw e instanceof IOException io ? new UncheckedIOException("could not copy redis-server out of the embedded-redis jar", io)
                    : (RuntimeException) e;
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("[local] could not remove " + folder + ": " + e);
        }
    }

    private static void createTableIfAbsent(DynamoDbClient dynamo, CreateTableRequest request) {
        try {
            dynamo.createTable(request);
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException alreadyThere) {
            return;
        }
        NodeServer.awaitActive("table " + request.tableName(),
                () -> dynamo.describeTable(b -> b.tableName(request.tableName())).table().tableStatus() == TableStatus.ACTIVE);
    }

    /** The HTTP API's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        return Objects.requireNonNull(gateway, "not started").url();
    }

    public Topology topology() {
        return topology;
    }

    /** A client of the local DynamoDB (for tests that write behind the API's back); do not close it. */
    public DynamoDbClient dynamo() {
        return Objects.requireNonNull(dynamo, "not started");
    }

    /** How many times {@code function} has been invoked so far (stream batches, HTTP requests). */
    public long invocations(String function) {
        return Objects.requireNonNull(functions.get(function), () -> "no function " + function).invocations();
    }

    /** How many containers {@code function} has started so far: at most its {@link #concurrency(String) limit}. */
    public int containers(String function) {
        return Objects.requireNonNull(functions.get(function), () -> "no function " + function).containers();
    }

    /** The most containers {@code function} runs at once: the --concurrency, or its reserved concurrency if lower. */
    public int concurrency(String function) {
        return Objects.requireNonNull(functions.get(function), () -> "no function " + function).limit();
    }

    /** The start-up banner's line: the containers per function, and the functions whose reserved concurrency is lower. */
    public String concurrencySummary() {
        String reserved = functions.values().stream().filter(LocalFunction::throttles)
                .map(function -> function.name() + " " + function.limit()).reduce((a, b) -> a + ", " + b)
                .map(list -> "; reserved, throttled beyond: " + list).orElse("");
        return "up to " + concurrency + " containers per function (--concurrency N; default 4 per processor, "
                + defaultConcurrency() + " here), each with its own warm state" + reserved;
    }

    /** Each function's concurrency: its limit, whether that is its reserved concurrency, containers started, invocations, throttles; as JSON. */
    String functionsJson() {
        ObjectNode body = new ObjectMapper().createObjectNode();
        ArrayNode list = body.putArray("functions");
        functions.values().forEach(function -> list.addObject()
                .put("function", function.name())
                .put("concurrency", function.limit())
                .put("reserved", function.throttles())
                .put("containers", function.containers())
                .put("invocations", function.invocations())
                .put("throttled", function.throttled()));
        return body.toString();
    }

    /** How long a stream trigger waits between reads of a shard that had nothing new. */
    public Duration streamPollInterval() {
        return EventSourceMapping.IDLE_POLL;
    }

    /** What the stream triggers have parked so far. */
    public ParkedRecords parked() {
        return parked;
    }

    /** Delivers every parked batch again to its function (after a fix); those taken leave the list. What happened, as JSON. */
    public String redrive() {
        List<ParkedRecords.Redriven> outcomes = parked.redrive(name -> Objects.requireNonNull(streamFunctions.get(name),
                () -> "records of " + name + " were parked, which is not a stream function"));
        return ParkedRecords.json(outcomes, parked.all().size());
    }

    /**
     * What a tool needs to reach this pipeline's tables and stream (factline-replay --local, the fault suite): the
     * DynamoDB endpoint, the region, the table names, the Kinesis endpoint, the published stream's name, and the S3
     * endpoint and bucket of claim-checked payloads.
     */
    private String environmentJson() {
        return new ObjectMapper().createObjectNode()
                .put("dynamoDbEndpoint", Objects.requireNonNull(dynamoEndpoint).toString())
                .put("region", LocalEnvironment.REGION)
                .put("eventTable", topology.eventTable().name())
                .put("readTable", topology.readTable().name())
                .put("kinesisEndpoint", Objects.requireNonNull(kinesisEndpoint).toString())
                .put("publishedEvents", topology.publishedEventsStream())
                .put("s3Endpoint", Objects.requireNonNull(s3Endpoint).toString())
                .put("payloadBucket", PAYLOAD_BUCKET)
                .toString();
    }

    /** The data folder, or null when everything is in memory. */
    public @Nullable Path dataFolder() {
        return data == null ? null : data.root();
    }

    /**
     * Each stream trigger's lag now ({@link EventSourceMapping#lag()}), with the read models the
     * projector's batches keep (they share its lag: one batch folds them all), as JSON.
     */
    String lagJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode().put("at", Instant.now().toString());
        ArrayNode triggers = body.putArray("triggers");
        for (EventSourceMapping mapping : mappings) {
            EventSourceMapping.Lag lag = mapping.lag();
            ObjectNode trigger = triggers.addObject()
                    .put("function", lag.function())
                    .put("shards", lag.shards())
                    .put("recordsBehind", lag.recordsBehind())
                    .put("oldestAgeMillis", lag.oldestAgeMillis());
            ArrayNode readModels = trigger.putArray("readModels");
            if (lag.function().equals(Topology.PROJECTOR)) {
                HostedReadModels.STANDARD.all().forEach(model -> readModels.add(model.space()));
            }
            EventSourceMapping.@Nullable BatchDelivered last = lag.lastBatch();
            if (last != null) {
                trigger.putObject("lastBatch")
                        .put("records", last.records())
                        .put("endedAt", last.endedAt().toString())
                        .put("durationMillis", last.durationMillis())
                        .put("iteratorAgeMillis", last.iteratorAgeMillis());
            }
        }
        return body.toString();
    }

    /** Where each server listens, for the start-up banner. */
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("HTTP API", url());
        endpoints.put("Explorer", url().resolve(ExplorerFunction.INDEX));
        endpoints.put(backend.equals("dynalite") ? "DynamoDB (dynalite)" : "DynamoDB", Objects.requireNonNull(dynamoEndpoint));
        endpoints.put(backend.equals("dynalite") ? "Kinesis (kinesalite)" : "Kinesis", Objects.requireNonNull(kinesisEndpoint));
        endpoints.put("S3 (s3rver)", Objects.requireNonNull(s3Endpoint));
        endpoints.put("Redis", Objects.requireNonNull(redisUrl));
        return endpoints;
    }

    /** Stops the API, the triggers, the clients, Redis and the Node children, newest first; each failure is printed, none stops the rest. */
    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("[local] stopping " + next + " failed: " + e);
            }
        }
    }

    List<String> functionNames() {
        return List.copyOf(functions.keySet());
    }

    /**
     * The local stand-in for KMS, the master key file of personal data: in the data folder when the
     * pipeline keeps one (the key must last as long as the sealed data it opens, and a --reset wipes
     * both); in memory, {@value #MASTER_KEY_FILE} if set, else a temp folder's, removed at stop with
     * the data it opened.
     */
    private Path masterKeyFile(@Nullable DataFolder folder) throws IOException {
        if (folder != null) {
            return folder.root().resolve("master.key");
        }
        String configured = System.getenv(MASTER_KEY_FILE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path keys = Files.createTempDirectory("factline-keys-");
        running.push(() -> deleteRecursively(keys));
        return keys.resolve("master.key");
    }
}
