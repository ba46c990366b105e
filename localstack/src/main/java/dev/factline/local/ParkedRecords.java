package dev.factline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream triggers' on-failure destination: what Lambda would send to an SQS queue or SNS
 * topic when it gives up on records (the invocation's metadata: function, reason, shard, the
 * sequence number range, batch size, attempts, times), plus the records themselves, which a real
 * destination does not carry but a developer looking at a local pipeline wants to see. Kept in
 * memory for the pipeline's life; {@code GET /_local/parked} lists it and each parking prints a line.
 */
public final class ParkedRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One parked batch, as the destination's message describes it. */
    public record Parked(String function, String condition, String shardId, String streamArn, String startSequenceNumber,
            String endSequenceNumber, int batchSize, int attempts, Instant approximateArrivalOfFirstRecord, Instant parkedAt,
            List<ObjectNode> records) {
    }

    private final List<Parked> parked = new ArrayList<>();

    synchronized void park(Parked batch) {
        parked.add(batch);
        System.err.println("[local] " + batch.function() + " trigger parked " + batch.batchSize() + " record(s) "
                + batch.startSequenceNumber() + ".." + batch.endSequenceNumber() + " of " + batch.shardId() + " after "
                + batch.attempts() + " attempt(s): " + batch.condition() + " (GET /_local/parked)");
    }

    /** What has been parked so far, oldest first. */
    public synchronized List<Parked> all() {
        return List.copyOf(parked);
    }

    /** The parked batches as JSON, in the shape of Lambda's on-failure record plus the records. */
    synchronized String json() {
        ArrayNode array = JSON.createArrayNode();
        for (Parked batch : parked) {
            ObjectNode entry = array.addObject();
            entry.put("timestamp", batch.parkedAt().toString());
            ObjectNode context = entry.putObject("requestContext");
            context.put("functionArn", "arn:aws:lambda:us-east-1:000000000000:function:" + batch.function());
            context.put("condition", batch.condition());
            context.put("approximateInvokeCount", batch.attempts());
            ObjectNode info = entry.putObject("DDBStreamBatchInfo");
            info.put("shardId", batch.shardId());
            info.put("startSequenceNumber", batch.startSequenceNumber());
            info.put("endSequenceNumber", batch.endSequenceNumber());
            info.put("approximateArrivalOfFirstRecord", batch.approximateArrivalOfFirstRecord().toString());
            info.put("batchSize", batch.batchSize());
            info.put("streamArn", batch.streamArn());
            entry.putArray("records").addAll(batch.records());
        }
        return FilterPattern.text(array);
    }
}
