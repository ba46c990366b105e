package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.emulators.OutsideEndpoints;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.MotoGaps;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What stalled the stream triggers on moto (docs/decisions/moto.md), in its smallest form: a
 * TransactWriteItems that is cancelled (here, a put refused by its condition, as a version conflict
 * or a repeated idempotency key is in the event store) and a put after it. On DynamoDB the shard
 * iterator a reader holds from before the transaction reads the later put; a poller, like Lambda's
 * and {@link EventSourceMapping}, follows {@code NextShardIterator} and never asks for a new one.
 * moto 5.2.1 rolls a cancelled transaction back by putting a deep copy of the table, taken when the
 * transaction began, in the table's place; the copy has a stream shard of its own, and every
 * iterator handed out before reads the old shard, which no write reaches any more.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
@ExtendWith(MotoGaps.class)
class StreamAfterCancelledTransactionIT {

    private static final LocalDynamo DYNAMO = LocalDynamo.start();
    private static final DynamoDbStreamsClient STREAMS = DYNAMO.streamsClientBuilder().build();

    private String table;
    private String streamArn;
    private String shardId;

    @BeforeEach
    void a_table_with_a_stream() {
        table = "cancelled-transaction-" + UUID.randomUUID();
        DYNAMO.createTable(CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)).build());
        streamArn = STREAMS.listStreams(b -> b.tableName(table)).streams().getFirst().streamArn();
        shardId = STREAMS.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().getFirst().shardId();
    }

    @AfterAll
    static void stop() {
        STREAMS.close();
        DYNAMO.close();
    }

    @Test
    void an_iterator_from_before_a_cancelled_transaction_reads_the_writes_after_it() {
        Reader reader = readFirstPut();

        cancelATransaction();
        put("second");

        assertThat(keys(STREAMS.getRecords(b -> b.shardIterator(reader.next())))).containsExactly("second");
    }

    @Test
    void moto_reads_nothing_after_a_cancelled_transaction_through_the_iterators_it_handed_out_before() {
        Assumptions.assumeTrue(OutsideEndpoints.selected().map(OutsideEndpoints::isMoto).orElse(false),
                "shows moto's gap (docs/decisions/moto.md), and these suites do not run on moto");
        Reader reader = readFirstPut();

        cancelATransaction();
        put("second");

        assertThat(keys(STREAMS.getRecords(b -> b.shardIterator(reader.next()))))
                .as("the iterator chain from before the transaction (if this fails, moto reads on: drop the gap from MotoGaps)")
                .isEmpty();
        String fresh = STREAMS.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(reader.lastSequenceNumber())).shardIterator();
        assertThat(keys(STREAMS.getRecords(b -> b.shardIterator(fresh)))).as("a new iterator after the first record").containsExactly("second");
    }

    /** The first put read off the stream, and what the reader holds afterwards. */
    private record Reader(String next, String lastSequenceNumber) {
    }

    private Reader readFirstPut() {
        String iterator = STREAMS.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        put("first");
        GetRecordsResponse first = STREAMS.getRecords(b -> b.shardIterator(iterator));
        assertThat(keys(first)).containsExactly("first");
        return new Reader(first.nextShardIterator(), first.records().getLast().dynamodb().sequenceNumber());
    }

    /** A transaction whose one put is refused by its condition: the item is there already. */
    private void cancelATransaction() {
        assertThatThrownBy(() -> DYNAMO.client().transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                .put(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("first"))).conditionExpression("attribute_not_exists(pk)"))
                .build())))
                .isInstanceOf(TransactionCanceledException.class);
    }

    private void put(String key) {
        DYNAMO.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(key))));
    }

    private static List<String> keys(GetRecordsResponse page) {
        return page.records().stream().map(record -> record.dynamodb().keys().get("pk").s()).toList();
    }
}
