package dev.factline.functions.testing;

import dev.factline.emulators.LambdaStreamEvents;
import dev.factline.emulators.RawGetRecordsBodies;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads a table's stream on the local DynamoDB and hands its records over exactly as Lambda
 * delivers them to a function: each GetRecords page's raw JSON, with the stream's ARN added to
 * every record, parsed by the official Lambda serializer into a {@link DynamodbEvent}.
 *
 * <p>A tap starts at the stream's start; {@link #moveTo} puts it where Lambda reads from after a
 * batch failure ({@code AT_SEQUENCE_NUMBER}) or once it gives up on a record
 * ({@code AFTER_SEQUENCE_NUMBER}), and {@link #nextRecords} gives a page's records as JSON, for a
 * test that builds batches of its own or damages a record before delivering it.
 */
public final class StreamTap implements AutoCloseable {

    private final RawGetRecordsBodies raw = new RawGetRecordsBodies();
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String shardId;
    private @Nullable String iterator;

    private StreamTap(LocalDynamo dynamo, String tableName) {
        this.streams = dynamo.streamsClientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(raw))
                .build();
        this.streamArn = dynamo.client().describeTable(b -> b.tableName(tableName)).table().latestStreamArn();
        this.shardId = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().getFirst().shardId();
        moveTo(ShardIteratorType.TRIM_HORIZON, null);
    }

    /** A tap at the start of {@code tableName}'s stream. */
    public static StreamTap atStart(LocalDynamo dynamo, String tableName) {
        return new StreamTap(dynamo, tableName);
    }

    /**
     * Moves the tap to a new iterator of {@code type} on the stream's shard, at or after
     * {@code sequenceNumber} for the types that take one (null for {@code TRIM_HORIZON}).
     */
    public void moveTo(ShardIteratorType type, @Nullable String sequenceNumber) {
        iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId).shardIteratorType(type)
                .sequenceNumber(sequenceNumber)).shardIterator();
    }

    /** The next page of at most {@code limit} records, as a Lambda event (empty when there are none yet). */
    public DynamodbEvent next(int limit) {
        return iterator == null ? withRecords(List.of()) : fromJson(eventJson(nextRecords(limit)));
    }

    /**
     * The records of the next page of at most {@code limit}, as the JSON Lambda hands a function
     * (see {@link #lambdaRecords}); empty when there are none yet.
     */
    public List<ObjectNode> nextRecords(int limit) {
        String current = iterator;
        if (current == null) {
            return List.of();
        }
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(limit));
        iterator = page.nextShardIterator();
        return lambdaRecords(raw.last(), streamArn);
    }

    /** Every record written so far, in batches of at most {@code batchSize}, as Lambda would deliver them. */
    public List<DynamodbEvent> drain(int batchSize) {
        List<DynamodbEvent> batches = new ArrayList<>();
        while (true) {
            DynamodbEvent batch = next(batchSize);
            if (batch.getRecords().isEmpty()) {
                return batches;
            }
            batches.add(batch);
        }
    }

    /** Every record written so far, as one event. */
    public DynamodbEvent drainAll() {
        return withRecords(drain(1000).stream().flatMap(batch -> batch.getRecords().stream()).toList());
    }

    public String streamArn() {
        return streamArn;
    }

    /** A batch of these records, as a new event (the records are shared, not copied). */
    public static DynamodbEvent withRecords(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /** The event as the JSON Lambda sends. */
    public static String toJson(DynamodbEvent event) {
        return LambdaStreamEvents.toJson(event);
    }

    public static DynamodbEvent fromJson(String json) {
        return LambdaStreamEvents.fromJson(json);
    }

    /** See {@link LambdaStreamEvents#lambdaRecords}. */
    public static List<ObjectNode> lambdaRecords(String getRecordsBody, String streamArn) {
        return LambdaStreamEvents.lambdaRecords(getRecordsBody, streamArn);
    }

    /** See {@link LambdaStreamEvents#asLambdaEvent}. */
    public static DynamodbEvent asLambdaEvent(String getRecordsBody, String streamArn) {
        return LambdaStreamEvents.asLambdaEvent(getRecordsBody, streamArn);
    }

    /** The JSON of a batch of records as Lambda sends it: {@code {"Records": [...]}}. */
    public static String eventJson(List<? extends JsonNode> records) {
        return LambdaStreamEvents.eventJson(records);
    }

    @Override
    public void close() {
        streams.close();
    }
}
