package dev.factline.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB fixture against a real dynalite: the behaviours the event store relies on, and
 * the fixture's own start, stop and failure reports. Fast enough to run with the unit tests.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalDynamoTest {

    private static final String TABLE = "local-dynamo-smoke";

    private static LocalDynamo dynamo;
    private static DynamoDbClient client;

    @BeforeAll
    static void start_a_server_with_a_table() {
        dynamo = LocalDynamo.start();
        client = dynamo.client();
        dynamo.createTable(CreateTableRequest.builder()
                .tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute("pk", ScalarAttributeType.S),
                        attribute("sk", ScalarAttributeType.N))
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
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

            assertThatThrownBy(() -> LocalDynamo.start("factline-no-such-node", launcher, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Node 18+ is required for the DynamoDB emulator (dynalite); install it or put it on PATH");
        }

        @Test
        void a_launcher_that_stops_before_listening_with_its_exit_code_and_stderr(@TempDir Path dir)
                throws IOException {
            Path launcher = Files.writeString(dir.resolve("broken.js"),
                    "console.error('cannot start: no table space'); process.exit(3)\n");

            assertThatThrownBy(() -> LocalDynamo.start("node", launcher, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stopped before it was listening (exit code 3)")
                    .hasMessageContaining("cannot start: no table space");
        }
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }
}
