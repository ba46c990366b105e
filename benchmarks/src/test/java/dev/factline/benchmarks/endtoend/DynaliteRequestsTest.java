package dev.factline.benchmarks.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalDynamo;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The global interceptor against a real dynalite: what the end-to-end section's request counts rest on. */
class DynaliteRequestsTest {

    private static LocalDynamo dynamo;
    private static DynamoDbClient client;
    private static DynamoDbStreamsClient streams;
    private static final EventTable TABLE = new EventTable("dynalite-requests");

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start();
        // Built here as the pipeline builds its own: no interceptor is added to the builders.
        client = dynamo.clientBuilder().build();
        streams = dynamo.streamsClientBuilder().build();
        dynamo.createTable(TABLE);
    }

    @AfterAll
    static void stop() {
        streams.close();
        client.close();
        dynamo.close();
    }

    @Test
    void countsEachClientsRequestsBySenderThreadAndOperationWhileCountingIsOpen() throws Exception {
        put("before");
        Map<String, Long> counted;
        try (DynaliteRequests.Counting counting = DynaliteRequests.start()) {
            onThread("projector-shardId-00000001700000000000-abcd", () -> {
                put("a");
                put("b");
                streams.listStreams();
            });
            onThread("http-api", () -> client.query(query -> query.tableName(TABLE.name())
                    .keyConditionExpression(EventTable.PARTITION_KEY + " = :s")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("a")))));
            onThread("saga-shard-discovery", streams::listStreams);
            counted = counting.stop();
        }
        put("after");

        assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of(
                "projector PutItem", 2L, "projector ListStreams", 1L, "HTTP API Query", 1L, "saga ListStreams", 1L));
    }

    @Test
    void countsEveryAttemptOfARetriedRequest() {
        try (DynamoDbClient unreachable = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.standardStrategyBuilder()
                        .maxAttempts(3).backoffStrategy(BackoffStrategy.retryImmediately()).build()))
                .build();
                DynaliteRequests.Counting counting = DynaliteRequests.start()) {
            try {
                unreachable.describeTable(describe -> describe.tableName("none"));
            } catch (SdkClientException expected) {
                // refused: nothing listens on port 1
            }
            assertThat(counting.stop()).containsExactlyEntriesOf(Map.of(Thread.currentThread().getName() + " DescribeTable", 3L));
        }
    }

    @Test
    void namesTheFunctionOfALocalPipelineThread() {
        assertThat(DynaliteRequests.senderOf("http-api")).isEqualTo("HTTP API");
        assertThat(DynaliteRequests.senderOf("publisher-shardId-00000001700000000000-0f3a")).isEqualTo("publisher");
        assertThat(DynaliteRequests.senderOf("projector-shard-discovery")).isEqualTo("projector");
        assertThat(DynaliteRequests.senderOf("main")).isEqualTo("main");
    }

    private static void put(String stream) {
        client.putItem(put -> put.tableName(TABLE.name()).item(Map.of(
                EventTable.PARTITION_KEY, AttributeValue.fromS(stream), EventTable.SORT_KEY, AttributeValue.fromN("1"))));
    }

    private static void onThread(String name, Runnable work) throws InterruptedException {
        Thread thread = Thread.ofPlatform().name(name).start(work);
        thread.join();
    }
}
