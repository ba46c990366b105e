package dev.factline.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.LambdaStreamEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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

    /** What one parked batch came to when it was delivered again. */
    public record Redriven(Parked batch, boolean applied, String outcome) {
    }

    /**
     * Delivers every parked batch again to its function, as Lambda would have (one invocation with
     * the batch's records), once a fix is deployed: a batch the function takes whole leaves the
     * list; one it still reports or fails on stays, with why. Functions are idempotent, so records
     * of a batch that another delivery already applied are skipped.
     */
    List<Redriven> redrive(Function<String, LocalFunction<DynamodbEvent, StreamsEventResponse>> functions) {
        List<Parked> batches = all();
        List<Redriven> outcomes = new ArrayList<>();
        for (Parked batch : batches) {
            Redriven outcome = redrive(batch, functions.apply(batch.function()));
            if (outcome.applied()) {
                synchronized (this) {
                    parked.remove(batch);
                }
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private static Redriven redrive(Parked batch, LocalFunction<DynamodbEvent, StreamsEventResponse> function) {
        StreamsEventResponse response;
        try {
            response = function.invoke(LambdaStreamEvents.fromJson(LambdaStreamEvents.eventJson(batch.records())));
        } catch (RuntimeException | Error functionError) {
            return new Redriven(batch, false, "the function failed: " + functionError);
        }
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return new Redriven(batch, true, "applied");
        }
        return new Redriven(batch, false, "the function still reports " + response.getBatchItemFailures().size() + " record(s), from "
                + response.getBatchItemFailures().getFirst().getItemIdentifier());
    }

    /** What a redrive did, as JSON: each batch, whether it was applied, and the batches still parked. */
    static String json(List<Redriven> outcomes, int stillParked) {
        ObjectNode report = JSON.createObjectNode();
        ArrayNode batches = report.putArray("redriven");
        for (Redriven outcome : outcomes) {
            batches.addObject()
                    .put("function", outcome.batch().function())
                    .put("shardId", outcome.batch().shardId())
                    .put("startSequenceNumber", outcome.batch().startSequenceNumber())
                    .put("endSequenceNumber", outcome.batch().endSequenceNumber())
                    .put("batchSize", outcome.batch().batchSize())
                    .put("applied", outcome.applied())
                    .put("outcome", outcome.outcome());
        }
        report.put("stillParked", stillParked);
        return FilterPattern.text(report);
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
