package dev.factline.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Time to Live as the launcher serves it beside dynalite ({@code tools/dynalite-ttl.js}), through
 * the SDK's own clients: {@code UpdateTimeToLive} and {@code DescribeTimeToLive} per table, the
 * sweeper deleting what has expired and nothing else, and each deletion on the table's stream as
 * DynamoDB marks TTL's. A server of its own, swept every few milliseconds.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalDynamoTimeToLiveIT {

    private static final String TTL = "expiresAt";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private static LocalDynamo dynamo;
    private static DynamoDbClient client;
    private static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.start(Duration.ofMillis(20));
        client = dynamo.client();
        streams = dynamo.streamsClientBuilder().build();
    }

    @AfterAll
    static void stop() {
        streams.close();
        dynamo.close();
    }

    @Nested
    class Settings {

        @Test
        void update_time_to_live_is_remembered_per_table_until_disabled_or_the_table_is_deleted() {
            String table = createTable();
            String other = createTable();

            assertThat(client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(s -> s.attributeName(TTL).enabled(true)))
                    .timeToLiveSpecification()).satisfies(spec -> {
                        assertThat(spec.attributeName()).isEqualTo(TTL);
                        assertThat(spec.enabled()).isTrue();
                    });

            assertThat(described(table).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
            assertThat(described(table).attributeName()).isEqualTo(TTL);
            assertThat(described(other).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);

            client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(s -> s.attributeName(TTL).enabled(false)));
            assertThat(described(table).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);

            enable(other);
            client.deleteTable(b -> b.tableName(other));
            await("the table deleted", () -> client.listTables().tableNames().stream().noneMatch(other::equals));
            dynamo.createTable(tableRequest(other, false));
            assertThat(described(other).timeToLiveStatus()).as("a table made again under the name").isEqualTo(TimeToLiveStatus.DISABLED);
        }

        @Test
        void a_change_to_what_is_already_set_a_missing_member_and_a_missing_table_are_refused() {
            String table = createTable();
            enable(table);

            assertThatThrownBy(() -> enable(table)).isInstanceOfSatisfying(DynamoDbException.class, refused -> {
                assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("TimeToLive is already enabled");
            });
            assertThatThrownBy(() -> client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(s -> s.enabled(false))))
                    .isInstanceOfSatisfying(DynamoDbException.class, refused -> assertThat(refused.awsErrorDetails().errorMessage())
                            .isEqualTo("1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to"
                                    + " satisfy constraint: Member must not be null"));
            assertThatThrownBy(() -> enable("no-such-table-" + UUID.randomUUID())).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Nested
    class Expiry {

        @Test
        void the_sweeper_deletes_the_items_whose_ttl_number_is_past_and_only_them() {
            String table = createTable();
            String withoutTtl = createTable();
            enable(table);
            long now = Instant.now().getEpochSecond();
            Map<String, AttributeValue> later = item("later", AttributeValue.fromN(Long.toString(now + 3600)));
            Map<String, AttributeValue> asText = item("as-text", AttributeValue.fromS(Long.toString(now - 60)));
            Map<String, AttributeValue> none = Map.of("pk", AttributeValue.fromS("none"));
            Map<String, AttributeValue> past = item("past", AttributeValue.fromN(Long.toString(now - 60)));
            for (Map<String, AttributeValue> item : List.of(later, asText, none, past)) {
                client.putItem(b -> b.tableName(table).item(item));
            }
            client.putItem(b -> b.tableName(withoutTtl).item(past));

            await("the past item swept", () -> stored(table, "past").isEmpty());

            assertThat(stored(table, "later")).isEqualTo(later);
            assertThat(stored(table, "as-text")).as("a TTL attribute that is no Number is ignored").isEqualTo(asText);
            assertThat(stored(table, "none")).isEqualTo(none);
            assertThat(stored(withoutTtl, "past")).as("a table without TTL").isEqualTo(past);
        }

        @Test
        void each_deletion_is_a_remove_record_marked_as_the_service_s_and_a_client_s_write_carries_no_identity() {
            String table = createTableWithStream();
            enable(table);
            String arn = streams.listStreams(b -> b.tableName(table)).streams().getFirst().streamArn();
            String shardId = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().getFirst().shardId();
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            Map<String, AttributeValue> expired = item("expired", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 1)));
            client.putItem(b -> b.tableName(table).item(expired));

            await("the expired item swept", () -> stored(table, "expired").isEmpty());

            List<Record> records = streams.getRecords(b -> b.shardIterator(iterator)).records();
            assertThat(records).extracting(Record::eventName).containsExactly(OperationType.INSERT, OperationType.REMOVE);
            assertThat(records.getFirst().userIdentity()).isNull();
            Record removal = records.getLast();
            assertThat(removal.dynamodb().keys()).isEqualTo(Map.of("pk", AttributeValue.fromS("expired")));
            assertThat(removal.dynamodb().oldImage()).isEqualTo(expired);
            assertThat(removal.userIdentity().type()).isEqualTo("Service");
            assertThat(removal.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        }
    }

    private static TimeToLiveDescription described(String table) {
        return client.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    }

    private static void enable(String table) {
        client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(s -> s.attributeName(TTL).enabled(true)));
    }

    private static Map<String, AttributeValue> stored(String table, String pk) {
        return client.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true)).item();
    }

    private static Map<String, AttributeValue> item(String pk, AttributeValue expiresAt) {
        return Map.of("pk", AttributeValue.fromS(pk), TTL, expiresAt);
    }

    /** Polls until {@code done} holds; fails after {@link #WITHIN}. */
    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("%s within %s", what, WITHIN).isNegative();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String createTable() {
        String name = "ttl-" + UUID.randomUUID();
        dynamo.createTable(tableRequest(name, false));
        return name;
    }

    private static String createTableWithStream() {
        String name = "ttl-streamed-" + UUID.randomUUID();
        dynamo.createTable(tableRequest(name, true));
        return name;
    }

    private static CreateTableRequest tableRequest(String name, boolean withStream) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build());
        if (withStream) {
            request.streamSpecification(spec -> spec.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
        }
        return request.build();
    }
}
