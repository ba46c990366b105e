package dev.factline.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.LambdaStreamEvents;
import dev.factline.emulators.RawGetRecordsBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A parked batch's records read back from the table's stream, in the JSON Lambda delivers: from
 * the first sequence number of the range to the last. A stream keeps records 24 hours; past that
 * (or once the shard is gone) they cannot be re-driven, only rebuilt from the event table.
 */
final class StreamRecords {

    private static final int MAX_EMPTY_PAGES = 10;

    private final DynamoDbStreamsClient streams;
    private final RawGetRecordsBodies bodies;

    /** {@code streams} must carry {@code bodies} as an interceptor: the records are taken as they came over the wire. */
    StreamRecords(DynamoDbStreamsClient streams, RawGetRecordsBodies bodies) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
    }

    /** The batch's records; empty when the stream no longer holds them. */
    List<ObjectNode> of(ParkedBatch batch) {
        String iterator;
        try {
            iterator = streams.getShardIterator(get -> get.streamArn(batch.streamArn()).shardId(batch.shardId())
                    .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(batch.startSequenceNumber())).shardIterator();
        } catch (TrimmedDataAccessException | software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException expired) {
            return List.of();
        }
        List<ObjectNode> records = new ArrayList<>();
        int emptyPages = 0;
        while (iterator != null && emptyPages < MAX_EMPTY_PAGES) {
            String current = iterator;
            GetRecordsResponse page = streams.getRecords(get -> get.shardIterator(current));
            List<ObjectNode> lambdaRecords = LambdaStreamEvents.lambdaRecords(bodies.last(), batch.streamArn());
            emptyPages = lambdaRecords.isEmpty() ? emptyPages + 1 : 0;
            for (ObjectNode record : lambdaRecords) {
                String sequence = record.path("dynamodb").path("SequenceNumber").asText();
                if (!batch.covers(sequence)) {
                    return records;
                }
                records.add(record);
            }
            iterator = page.nextShardIterator();
        }
        return records;
    }
}
