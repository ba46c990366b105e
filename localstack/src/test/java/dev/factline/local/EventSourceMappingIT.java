package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.emulators.NodeServer;
import dev.factline.emulators.NodeServer.Emulator;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.StreamTrigger;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * An {@link EventSourceMapping} against a real DynamoDB Streams emulator (dynalite): what Lambda
 * does when a poller's stream call fails, when the handler throws an {@link Error}, and when a
 * partial batch response or a function error reports the first record of a batch.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class EventSourceMappingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration BACKOFF = Duration.ofMillis(20);

    private static NodeServer dynalite;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynalite = NodeServer.start("node", NodeServer.repositoryRoot("tools/dynalite-server.js").resolve("tools/dynalite-server.js"),
                new Emulator("dynalite", "DynamoDB"), server -> server);
        dynamo = dynalite.configure(DynamoDbClient.builder()).build();
    }

    @AfterAll
    static void stop() {
        dynalite.stop(dynamo::close);
    }

    /** A table with a stream of new images, keyed by {@code pk}, holding {@code items} written in order. */
    private static String tableWith(String... items) {
        String table = "esm-" + UUID.randomUUID();
        createStreamTable(dynamo, table);
        write(table, items);
        return table;
    }

    private static void createStreamTable(DynamoDbClient client, String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        NodeServer.awaitActive("table " + table,
                () -> client.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE);
    }

    private static void write(String table, String... items) {
        writeTo(dynamo, table, items);
    }

    private static void writeTo(DynamoDbClient client, String table, String... items) {
        for (String item : items) {
            client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(item))));
        }
    }

    private static StreamTrigger trigger(int batchSize, boolean bisect, int retries) {
        return new StreamTrigger("probe", batchSize, Duration.ZERO, "{\"eventName\":[\"INSERT\"]}", bisect, retries, Duration.ofDays(1), 1);
    }

    private static LocalFunction<DynamodbEvent, StreamsEventResponse> function(RequestHandler<DynamodbEvent, StreamsEventResponse> handler) {
        return new LocalFunction<>(new FunctionSpec("probe", "probe::handleRequest", 512, Duration.ofSeconds(30), Map.of(), Map.of(), Map.of()),
                handler);
    }

    private static Supplier<DynamoDbStreamsClientBuilder> streams() {
        return () -> dynalite.configure(DynamoDbStreamsClient.builder());
    }

    /** Streams clients whose HTTP client answers one GetRecords, when armed, with a 400 ValidationException. */
    private static Supplier<DynamoDbStreamsClientBuilder> streams(FailingReads http) {
        return () -> DynamoDbStreamsClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).httpClient(http);
    }

    /** The real HTTP client to dynalite, except that an armed GetRecords gets DynamoDB's 400 answer without reaching it. */
    private static final class FailingReads implements SdkHttpClient {
        private final SdkHttpClient real = UrlConnectionHttpClient.create();
        private final AtomicBoolean armed;

        FailingReads(AtomicBoolean armed) {
            this.armed = armed;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            boolean getRecords = request.httpRequest().firstMatchingHeader("X-Amz-Target").filter(target -> target.endsWith(".GetRecords")).isPresent();
            if (!getRecords || !armed.compareAndSet(true, false)) {
                return real.prepareRequest(request);
            }
            byte[] body = "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"injected GetRecords failure\"}"
                    .getBytes(StandardCharsets.UTF_8);
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(400).putHeader("Content-Type", "application/x-amz-json-1.0").build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public String clientName() {
            return "FailingReads";
        }

        @Override
        public void close() {
            real.close();
        }
    }

    private static List<String> keys(DynamodbEvent event) {
        return event.getRecords().stream().map(record -> record.getDynamodb().getKeys().get("pk").getS()).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited %s for %s", DEADLINE, what).isNegative();
            try {
                Thread.sleep(Duration.ofMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class A_function_of_several_containers {

        /** Lambda without a parallelization factor: one batch per shard at a time, so a shard's records stay in order. */
        @Test
        void gets_a_shard_s_batches_one_at_a_time_and_in_order() {
            List<String> items = java.util.stream.IntStream.range(0, 30).mapToObj(i -> String.format("k%02d", i)).toList();
            String table = tableWith(items.toArray(String[]::new));
            java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            List<String> delivered = new CopyOnWriteArrayList<>();
            LocalFunction<DynamodbEvent, StreamsEventResponse> pooled = new LocalFunction<>(
                    new FunctionSpec("probe", "probe::handleRequest", 512, Duration.ofSeconds(30), Map.of(), Map.of(), Map.of()), 4,
                    closeAtStop -> (event, context) -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(5);
                            delivered.addAll(keys(event));
                            return new StreamsEventResponse();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        } finally {
                            inside.decrementAndGet();
                        }
                    });
            EventSourceMapping mapping = new EventSourceMapping(trigger(5, false, 3), pooled, streams(), table, new ParkedRecords(), BACKOFF,
                    Checkpoints.inMemory());
            try {
                await("every record", () -> delivered.size() >= items.size());
            } finally {
                mapping.close();
            }
            assertThat(delivered).containsExactlyElementsOf(items);
            assertThat(most).hasValue(1);
            assertThat(pooled.containers()).isEqualTo(1);
            assertThat(pooled.invocations()).isGreaterThanOrEqualTo(items.size() / 5);
        }
    }

    @Nested
    class A_poller {

        @Test
        void that_fails_to_read_reads_again_from_its_checkpoint_instead_of_stopping() {
            String table = tableWith("a", "b", "c");
            AtomicBoolean failNextRead = new AtomicBoolean();
            FailingReads flaky = new FailingReads(failNextRead);
            List<String> delivered = new CopyOnWriteArrayList<>();
            EventSourceMapping mapping = new EventSourceMapping(trigger(10, false, 3),
                    function((event, context) -> {
                        delivered.addAll(keys(event));
                        return new StreamsEventResponse();
                    }), streams(flaky), table, new ParkedRecords(), BACKOFF, Checkpoints.inMemory());
            try {
                await("the first records", () -> delivered.size() == 3);
                failNextRead.set(true);
                await("the injected failure", () -> !failNextRead.get());
                write(table, "d", "e", "f");
                await("the records after the failure", () -> delivered.size() >= 6);
            } finally {
                mapping.close();
                flaky.close();
            }
            assertThat(delivered).containsExactly("a", "b", "c", "d", "e", "f");
        }

        @Test
        void whose_handler_throws_an_error_counts_it_as_a_function_error_and_retries() {
            String table = tableWith("a", "b");
            AtomicBoolean thrown = new AtomicBoolean();
            List<String> delivered = new CopyOnWriteArrayList<>();
            EventSourceMapping mapping = new EventSourceMapping(trigger(10, false, 3),
                    function((event, context) -> {
                        if (thrown.compareAndSet(false, true)) {
                            throw new AssertionError("an Error, not an exception");
                        }
                        delivered.addAll(keys(event));
                        return new StreamsEventResponse();
                    }), streams(), table, new ParkedRecords(), BACKOFF, Checkpoints.inMemory());
            try {
                await("the retried batch", () -> delivered.size() >= 2);
            } finally {
                mapping.close();
            }
            assertThat(delivered).containsExactly("a", "b");
        }
    }

    @Nested
    class A_failure_on_the_first_record {

        @Test
        void reported_in_a_partial_batch_response_retries_the_whole_batch_without_bisecting() {
            String table = tableWith("a", "b", "c", "d");
            ParkedRecords parked = new ParkedRecords();
            List<List<String>> invocations = new CopyOnWriteArrayList<>();
            EventSourceMapping mapping = new EventSourceMapping(trigger(10, true, 1),
                    function((event, context) -> {
                        invocations.add(keys(event));
                        String first = event.getRecords().getFirst().getDynamodb().getSequenceNumber();
                        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(first)));
                    }), streams(), table, parked, BACKOFF, Checkpoints.inMemory());
            try {
                await("the batch to be parked", () -> !parked.all().isEmpty());
            } finally {
                mapping.close();
            }
            assertThat(invocations).containsExactly(List.of("a", "b", "c", "d"), List.of("a", "b", "c", "d"));
            assertThat(parked.all()).singleElement().satisfies(batch -> {
                assertThat(batch.condition()).isEqualTo("RetryAttemptsExhausted");
                assertThat(batch.batchSize()).isEqualTo(4);
                assertThat(batch.attempts()).isEqualTo(2);
            });
        }

        @Test
        void that_is_a_function_error_is_bisected_down_to_the_poison_record() {
            String table = tableWith("a", "poison", "c", "d");
            ParkedRecords parked = new ParkedRecords();
            List<String> delivered = new CopyOnWriteArrayList<>();
            EventSourceMapping mapping = new EventSourceMapping(trigger(10, true, 0),
                    function((event, context) -> {
                        if (keys(event).contains("poison")) {
                            throw new IllegalStateException("poison");
                        }
                        delivered.addAll(keys(event));
                        return new StreamsEventResponse();
                    }), streams(), table, parked, BACKOFF, Checkpoints.inMemory());
            try {
                await("the other records", () -> delivered.size() >= 3);
            } finally {
                mapping.close();
            }
            assertThat(delivered).containsExactly("a", "c", "d");
            assertThat(parked.all()).singleElement().satisfies(batch -> assertThat(batch.batchSize()).isEqualTo(1));
        }
    }

    @Nested
    class On_a_data_folder {

        @Test
        void a_dynalite_killed_and_started_again_keeps_its_stream_and_ttl_and_the_mapping_resumes_after_its_checkpoint(@TempDir Path data)
                throws Exception {
            Path tables = Files.createDirectories(data.resolve("dynalite"));
            Path checkpoints = Files.createDirectories(data.resolve("checkpoints"));
            List<String> delivered = new CopyOnWriteArrayList<>();
            String table = "kept-" + UUID.randomUUID();
            NodeServer first = persistentDynalite(tables);
            try (DynamoDbClient client = first.configure(DynamoDbClient.builder()).build()) {
                createStreamTable(client, table);
                client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
                writeTo(client, table, "a", "b", "c");
                EventSourceMapping mapping = recording(first, table, delivered, Checkpoints.in(checkpoints, "probe"));
                try {
                    await("the first records", () -> delivered.size() >= 3);
                } finally {
                    mapping.close();
                }
            }
            ProcessHandle.current().descendants().filter(child -> child.info().commandLine().orElse("").contains("dynalite-server.js"))
                    .max(Comparator.comparing(child -> child.info().startInstant().orElseThrow())).orElseThrow().destroyForcibly();
            first.exited().get(10, TimeUnit.SECONDS);
            // What a crash in the middle of an append leaves: a line cut short.
            Files.writeString(tables.resolve("streams.jsonl"), "{\"recorded\":\"arn:cut", StandardOpenOption.APPEND);

            NodeServer second = persistentDynalite(tables);
            try (DynamoDbClient client = second.configure(DynamoDbClient.builder()).build()) {
                assertThat(client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().attributeName()).isEqualTo("expiresAt");
                writeTo(client, table, "d", "e");
                EventSourceMapping mapping = recording(second, table, delivered, Checkpoints.in(checkpoints, "probe"));
                try {
                    await("the records written after the restart", () -> delivered.size() >= 5);
                    Thread.sleep(3 * EventSourceMapping.IDLE_POLL.toMillis());
                } finally {
                    mapping.close();
                }
            } finally {
                second.stop(() -> { });
            }
            assertThat(delivered).as("each record once: the second mapping read after the first one's checkpoint")
                    .containsExactly("a", "b", "c", "d", "e");
        }

        private static NodeServer persistentDynalite(Path folder) {
            return NodeServer.start("node", NodeServer.repositoryRoot("tools/dynalite-server.js").resolve("tools/dynalite-server.js"), 0,
                    Map.of("DYNALITE_DATA_DIR", folder.toString()), new Emulator("dynalite", "DynamoDB"), server -> server);
        }

        private static EventSourceMapping recording(NodeServer server, String table, List<String> delivered, Checkpoints checkpoints) {
            return new EventSourceMapping(trigger(10, false, 3), function((event, context) -> {
                delivered.addAll(keys(event));
                return new StreamsEventResponse();
            }), () -> server.configure(DynamoDbStreamsClient.builder()), table, new ParkedRecords(), BACKOFF, checkpoints);
        }
    }
}
