package dev.factline.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.emulators.NodeServer;
import dev.factline.emulators.NodeServer.Emulator;
import dev.factline.emulators.OutsideEndpoints;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.config.Environment;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.saga.SagaFunction;
import dev.factline.functions.topology.ApiDocument;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import dev.factline.functions.topology.StreamTrigger;
import dev.factline.functions.topology.Topology;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
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
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The whole pipeline in this JVM: dynalite and kinesalite as Node child processes, a real Redis
 * (embedded-redis, or the one {@code REDIS_URL} names), the tables and the Kinesis stream the
 * topology declares, the five functions built once by their own factories from an environment that
 * points them at these servers ({@link LocalEnvironment}), the stream triggers, and the HTTP API on
 * a local port. {@link #close()} stops all of it, children included.
 */
public final class LocalPipeline implements AutoCloseable {

    private static final Emulator DYNALITE = new Emulator("dynalite", "DynamoDB");
    private static final Emulator KINESALITE = new Emulator("kinesalite", "Kinesis");
    private static final Emulator REDIS = new Emulator("redis", "Redis");
    private static final String IN_MEMORY_ONLY = "it kept its data in memory, which went with it, and";

    /**
     * How to start: the HTTP port (0 = any free one), the resources' name prefix, an existing Redis
     * (null = start one), the base of the triggers' retry backoff, the Kinesis stream's shards,
     * outside DynamoDB, Streams and Kinesis endpoints to use instead of starting dynalite and
     * kinesalite (null = start them), and the credentials the API's routes want requests signed
     * with, as the deployed API's IAM auth does (null = no auth).
     */
    public record Options(int port, String prefix, @Nullable URI redisUrl, Duration retryBackoff, int publishedShards,
                          @Nullable OutsideEndpoints endpoints, @Nullable LocalCredentials iam) {

        public Options {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
        }

        public static Options defaults() {
            return new Options(0, "factline-local", null, Duration.ofMillis(200), 2, null, null);
        }

        public Options withPort(int value) {
            return new Options(value, prefix, redisUrl, retryBackoff, publishedShards, endpoints, iam);
        }

        public Options withPrefix(String value) {
            return new Options(port, value, redisUrl, retryBackoff, publishedShards, endpoints, iam);
        }

        public Options withRedisUrl(@Nullable URI value) {
            return new Options(port, prefix, value, retryBackoff, publishedShards, endpoints, iam);
        }

        public Options withRetryBackoff(Duration value) {
            return new Options(port, prefix, redisUrl, value, publishedShards, endpoints, iam);
        }

        public Options withEndpoints(@Nullable OutsideEndpoints value) {
            return new Options(port, prefix, redisUrl, retryBackoff, publishedShards, value, iam);
        }

        public Options withIam(@Nullable LocalCredentials value) {
            return new Options(port, prefix, redisUrl, retryBackoff, publishedShards, endpoints, value);
        }
    }

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Topology topology;
    private final ParkedRecords parked = new ParkedRecords();
    private final Map<String, LocalFunction<?, ?>> functions = new LinkedHashMap<>();
    private final Map<String, LocalFunction<DynamodbEvent, StreamsEventResponse>> streamFunctions = new LinkedHashMap<>();
    private @Nullable HttpApiGateway gateway;
    private @Nullable DynamoDbClient dynamo;
    private @Nullable URI dynamoEndpoint;
    private @Nullable URI kinesisEndpoint;
    private @Nullable URI redisUrl;
    private String backend = "dynalite";

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
        Path root = NodeServer.repositoryRoot("tools/dynalite-server.js");
        @Nullable OutsideEndpoints outside = options.endpoints();
        Function<DynamoDbStreamsClientBuilder, DynamoDbStreamsClientBuilder> streamsClient;
        DynamoDbClient dynamo;
        KinesisClient kinesis;
        // kinesalite cannot answer the SDK's default CBOR; this JVM's Kinesis clients speak JSON.
        System.setProperty(SdkSystemSetting.CBOR_ENABLED.property(), "false");
        if (outside == null) {
            NodeServer dynalite = startChild(SupervisedChild.notRestarted("dynalite", IN_MEMORY_ONLY
                    + " a new one would have no tables, so every command and trigger would fail against it",
                    port -> NodeServer.start("node", root.resolve("tools/dynalite-server.js"), port, Map.of(), DYNALITE, server -> server)));
            NodeServer kinesalite = startChild(SupervisedChild.notRestarted("kinesalite", IN_MEMORY_ONLY
                    + " a new one would have no stream, so the publisher would fail against it",
                    port -> NodeServer.start("node", root.resolve("tools/kinesalite-server.js"), port, Map.of(), KINESALITE, server -> server)));
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
        running.push(dynamo);
        this.dynamo = dynamo;
        running.push(kinesis);

        createTable(dynamo, topology.eventTable().createTableRequest());
        dynamo.updateTimeToLive(topology.eventTable().timeToLiveRequest());
        createTable(dynamo, topology.readTable().createTableRequest());
        kinesis.createStream(b -> b.streamName(topology.publishedEventsStream()).shardCount(options.publishedShards()));
        NodeServer.awaitActive("stream " + topology.publishedEventsStream(), () -> kinesis.describeStreamSummary(
                b -> b.streamName(topology.publishedEventsStream())).streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);

        LocalEnvironment local = new LocalEnvironment(Map.of(
                Resource.EVENT_TABLE, topology.eventTable().name(),
                Resource.EVENT_STREAM, dynamo.describeTable(b -> b.tableName(topology.eventTable().name())).table().latestStreamArn(),
                Resource.READ_TABLE, topology.readTable().name(),
                Resource.PUBLISHED_EVENTS, topology.publishedEventsStream(),
                Resource.VIEW_CACHE, Objects.requireNonNull(redisUrl).toString()), dynamoEndpoint, kinesisEndpoint);
        Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> http = new LinkedHashMap<>();
        Map<String, LocalFunction<DynamodbEvent, StreamsEventResponse>> streams = new LinkedHashMap<>();
        for (FunctionSpec spec : topology.functions()) {
            // Built as Lambda builds it, by its factory, from what the CDK stack would put in its environment; its clients close at stop.
            Environment environment = Environment.of(local.variables(spec), running::push);
            switch (spec.name()) {
                case Topology.COMMAND -> http.put(spec.name(), new LocalFunction<>(spec, CommandFunction.fromEnvironment(environment)));
                case Topology.QUERY -> http.put(spec.name(), new LocalFunction<>(spec, QueryFunction.fromEnvironment(environment)));
                case Topology.PROJECTOR -> streams.put(spec.name(), new LocalFunction<>(spec, ProjectorFunction.fromEnvironment(environment)));
                case Topology.SAGA -> streams.put(spec.name(), new LocalFunction<>(spec, SagaFunction.fromEnvironment(environment)));
                case Topology.PUBLISHER -> streams.put(spec.name(), new LocalFunction<>(spec, PublisherFunction.fromEnvironment(environment)));
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
            running.push(new EventSourceMapping(trigger, function, () -> streamsClient.apply(DynamoDbStreamsClient.builder()),
                    topology.eventTable().name(), parked, options.retryBackoff()));
        }
        HttpApiGateway api = new HttpApiGateway(options.port(), topology.routes(), http, Map.of(
                "GET /_local/parked", parked::json,
                "POST /_local/parked/redrive", this::redrive,
                "GET /_local/environment", this::environmentJson,
                PublishedContracts.ASYNCAPI_ROUTE, PublishedContracts::asyncApi,
                ApiDocument.ROUTE, ApiDocument::json),
                Map.of(PublishedContracts.SCHEMAS_ROUTE, PublishedContracts::schema),
                options.iam() == null ? null : new SignatureCheck(options.iam(), LocalEnvironment.REGION, Clock.systemUTC()));
        running.push(api);
        gateway = api;
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

    private static void createTable(DynamoDbClient dynamo, CreateTableRequest request) {
        dynamo.createTable(request);
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

    /** What a tool needs to reach this pipeline's tables (factline-replay --local): the DynamoDB endpoint, the region and the table names. */
    private String environmentJson() {
        return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("dynamoDbEndpoint", Objects.requireNonNull(dynamoEndpoint).toString())
                .put("region", LocalEnvironment.REGION)
                .put("eventTable", topology.eventTable().name())
                .put("readTable", topology.readTable().name())
                .toString();
    }

    /** Where each server listens, for the start-up banner. */
    public Map<String, URI> endpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        endpoints.put("HTTP API", url());
        endpoints.put(backend.equals("dynalite") ? "DynamoDB (dynalite)" : "DynamoDB", Objects.requireNonNull(dynamoEndpoint));
        endpoints.put(backend.equals("dynalite") ? "Kinesis (kinesalite)" : "Kinesis", Objects.requireNonNull(kinesisEndpoint));
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
}
