package dev.factline.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD;
import static software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.NONE;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The DynamoDB fixture against a real dynalite: the behaviours the event store relies on, and
 * the fixture's own start, stop and failure reports. Fast enough to run with the unit tests.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalDynamoTest {

    private static final String TABLE = "local-dynamo-smoke";
    /** The same keys with a stream: writes to it take another path through the launcher's front (tools/dynalite-streams.js). */
    private static final String STREAM_TABLE = "local-dynamo-smoke-streamed";

    private static LocalDynamo dynamo;
    private static DynamoDbClient client;

    @BeforeAll
    static void start_a_server_with_a_table() {
        dynamo = LocalDynamo.start();
        client = dynamo.client();
        CreateTableRequest table = CreateTableRequest.builder()
                .tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute("pk", ScalarAttributeType.S),
                        attribute("sk", ScalarAttributeType.N))
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .build();
        dynamo.createTable(table);
        dynamo.createTable(table.toBuilder()
                .tableName(STREAM_TABLE)
                .streamSpecification(stream -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))
                .build());
    }

    @AfterAll
    static void stop_the_server() {
        dynamo.close();
    }

    @Nested
    class Dynamo_behaviour_the_store_relies_on {

        @Test
        void a_second_put_of_the_same_key_fails_its_attribute_not_exists_condition() {
            putIfAbsent("conditional", "1");

            assertThatThrownBy(() -> putIfAbsent("conditional", "1"))
                    .isInstanceOf(ConditionalCheckFailedException.class);
        }

        @Test
        void fractional_sort_keys_come_back_in_numeric_order_in_a_consistent_descending_query() {
            putIfAbsent("fractions", "1");
            putIfAbsent("fractions", "3");
            putIfAbsent("fractions", "2.5");

            List<String> sortKeys = client.query(q -> q.tableName(TABLE)
                            .keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("fractions")))
                            .scanIndexForward(false)
                            .consistentRead(true))
                    .items().stream().map(item -> item.get("sk").n()).toList();

            assertThat(sortKeys).containsExactly("3", "2.5", "1");
        }

        @Test
        void a_sort_key_bound_with_a_fraction_past_the_long_range_is_accepted() {
            putIfAbsent("long-bound", "1");
            putIfAbsent("long-bound", "2.5");
            putIfAbsent("long-bound", "9223372036854775807");

            List<String> sortKeys = client.query(q -> q.tableName(TABLE)
                            .keyConditionExpression("pk = :pk AND sk <= :max")
                            .expressionAttributeValues(Map.of(
                                    ":pk", AttributeValue.fromS("long-bound"),
                                    ":max", AttributeValue.fromN("9223372036854775807.5")))
                            .scanIndexForward(false)
                            .consistentRead(true))
                    .items().stream().map(item -> item.get("sk").n()).toList();

            assertThat(sortKeys).containsExactly("9223372036854775807", "2.5", "1");
        }

        /** The store tells its own retried commit from another writer's by the item a refused put returns. */
        @ParameterizedTest
        @ValueSource(strings = { TABLE, STREAM_TABLE })
        void a_write_refused_by_its_condition_asked_for_all_old_carries_the_item_in_the_way(String table) {
            Map<String, AttributeValue> stored = Map.of("pk", s("refused-" + table), "sk", n("1"), "v", n("1"));
            client.putItem(p -> p.tableName(table).item(stored));
            Map<String, AttributeValue> key = Map.of("pk", stored.get("pk"), "sk", stored.get("sk"));
            Map<String, AttributeValue> ten = Map.of(":ten", n("10"));

            assertThat(List.of(
                    refusal(() -> client.putItem(p -> p.tableName(table).item(stored).conditionExpression("attribute_not_exists(pk)")
                            .returnValuesOnConditionCheckFailure(ALL_OLD))),
                    refusal(() -> client.updateItem(u -> u.tableName(table).key(key).updateExpression("SET v = :ten")
                            .conditionExpression("v = :ten").expressionAttributeValues(ten)
                            .returnValues(ReturnValue.ALL_NEW).returnValuesOnConditionCheckFailure(ALL_OLD))),
                    refusal(() -> client.deleteItem(d -> d.tableName(table).key(key)
                            .conditionExpression("v = :ten").expressionAttributeValues(ten)
                            .returnValuesOnConditionCheckFailure(ALL_OLD)))))
                    .allSatisfy(refused -> assertThat(refused.item()).isEqualTo(stored));
            assertThat(client.getItem(g -> g.tableName(table).key(key).consistentRead(true)).item()).isEqualTo(stored);
        }

        @ParameterizedTest
        @ValueSource(strings = { TABLE, STREAM_TABLE })
        void a_refused_write_carries_no_item_when_there_is_none_or_it_was_not_asked_for(String table) {
            Map<String, AttributeValue> stored = Map.of("pk", s("not-asked-" + table), "sk", n("1"));
            client.putItem(p -> p.tableName(table).item(stored));

            assertThat(refusal(() -> client.deleteItem(d -> d.tableName(table).key(Map.of("pk", s("absent"), "sk", n("1")))
                    .conditionExpression("attribute_exists(pk)").returnValuesOnConditionCheckFailure(ALL_OLD))).hasItem())
                    .as("ALL_OLD of an absent item").isFalse();
            assertThat(refusal(() -> client.putItem(p -> p.tableName(table).item(stored).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(NONE))).hasItem())
                    .as("NONE").isFalse();
            assertThat(refusal(() -> client.putItem(p -> p.tableName(table).item(stored).conditionExpression("attribute_not_exists(pk)")))
                    .hasItem()).as("not asked").isFalse();
        }

        private void putIfAbsent(String pk, String sk) {
            client.putItem(p -> p.tableName(TABLE)
                    .item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(sk)))
                    .conditionExpression("attribute_not_exists(pk)"));
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void after_close_the_port_refuses_connections() {
            URI endpoint;
            try (LocalDynamo own = LocalDynamo.start()) {
                endpoint = own.endpoint();
                assertThat(own.client().listTables().tableNames()).isEmpty();
            }

            assertThatThrownBy(() -> new Socket(endpoint.getHost(), endpoint.getPort()).close())
                    .isInstanceOf(ConnectException.class);
        }

        @Test
        void the_shared_server_is_one_per_jvm_and_ignores_close() {
            LocalDynamo shared = LocalDynamo.shared();
            shared.close();

            assertThat(LocalDynamo.shared()).isSameAs(shared);
            assertThat(shared.client().listTables().sdkHttpResponse().isSuccessful()).isTrue();
        }

        /** Orphan protection: a test JVM killed outright still closes the launcher's stdin. */
        @Test
        @Timeout(10)
        void the_launcher_exits_cleanly_when_its_stdin_closes() throws Exception {
            Process launcher = startLauncher();

            launcher.getOutputStream().close();

            assertThat(launcher.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).isZero();
        }

        @Test
        @Timeout(10)
        @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is TerminateProcess there, not SIGTERM")
        void the_launcher_exits_cleanly_on_sigterm() throws Exception {
            Process launcher = startLauncher();

            launcher.destroy();

            assertThat(launcher.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(launcher.exitValue()).isZero();
        }

        private Process startLauncher() throws IOException {
            Process launcher = new ProcessBuilder("node",
                    LocalDynamo.repositoryRoot().resolve("tools/dynalite-server.js").toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            BufferedReader stdout = launcher.inputReader(UTF_8);
            assertThat(stdout.readLine()).matches("DYNALITE_PORT=\\d+");
            return launcher;
        }
    }

    @Nested
    class Failures_are_reported_in_plain_words {

        @Test
        void a_missing_node() {
            Path launcher = LocalDynamo.repositoryRoot().resolve("tools/dynalite-server.js");

            assertThatThrownBy(() -> LocalDynamo.start("factline-no-such-node", launcher, Map.of(), false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Node 18+ is required for the DynamoDB emulator (dynalite); install it or put it on PATH");
        }

        @Test
        void a_launcher_that_stops_before_listening_with_its_exit_code_and_stderr(@TempDir Path dir)
                throws IOException {
            Path launcher = Files.writeString(dir.resolve("broken.js"),
                    "console.error('cannot start: no table space'); process.exit(3)\n");

            assertThatThrownBy(() -> LocalDynamo.start("node", launcher, Map.of(), false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stopped before it was listening (exit code 3)")
                    .hasMessageContaining("cannot start: no table space");
        }
    }

    private static ConditionalCheckFailedException refusal(ThrowingCallable write) {
        Throwable thrown = catchThrowable(write);
        assertThat(thrown).isInstanceOf(ConditionalCheckFailedException.class);
        return (ConditionalCheckFailedException) thrown;
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    private static AttributeValue n(String number) {
        return AttributeValue.fromN(number);
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
