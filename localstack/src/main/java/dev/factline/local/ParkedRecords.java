package dev.factline.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.LambdaStreamEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The stream triggers' on-failure destination: what Lambda would send to an SQS queue or SNS
 * topic when it gives up on records (the invocation's metadata: function, reason, shard, the
 * sequence number range, batch size, attempts, times), plus the records themselves, which a real
 * destination does not carry but a developer looking at a local pipeline wants to see.
 * {@code GET /_local/parked} lists it and each parking prints a line. In memory, or also in a file
 * of the data folder ({@code parked.json}, in the shape that route answers), rewritten whole (a
 * temp file moved over it) whenever the list changes: a batch is parked before its trigger's
 * checkpoint moves past it, so a pipeline started again after a crash still lists, and can
 * re-drive, every batch its triggers gave up on.
 */
public final class ParkedRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One parked batch, as the destination's message describes it. */
    public record Parked(String function, String condition, String shardId, String streamArn, String startSequenceNumber,
            String endSequenceNumber, int batchSize, int attempts, Instant approximateArrivalOfFirstRecord, Instant parkedAt,
            List<ObjectNode> records) {
    }

    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    private final List<Parked> parked = new ArrayList<>();
    private final @Nullable Path file;

    /** A list kept only while the pipeline runs. */
    public ParkedRecords() {
        this.file = null;
    }

    private ParkedRecords(Path file) {
        this.file = file;
    }

    /** The list kept in {@code file}, read back if it was written before. */
    static ParkedRecords keptIn(Path file) {
        ParkedRecords records = new ParkedRecords(file);
        if (Files.exists(file)) {
            try {
                JSON.readTree(file.toFile()).forEach(entry -> records.parked.add(parked(entry)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("could not read the parked records in " + file + "; wipe the data folder (--reset)", e);
            }
        }
        return records;
    }

    synchronized void park(Parked batch) {
        parked.add(batch);
        changed();
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
                    changed();
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
        return FilterPattern.text(array());
    }

    private ArrayNode array() {
        ArrayNode array = JSON.createArrayNode();
        for (Parked batch : parked) {
            ObjectNode entry = array.addObject();
            entry.put("timestamp", batch.parkedAt().toString());
            ObjectNode context = entry.putObject("requestContext");
            context.put("functionArn", FUNCTION_ARN + batch.function());
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
        return array;
    }

    /** One entry of {@link #array()} read back. */
    private static Parked parked(JsonNode entry) {
        JsonNode context = entry.required("requestContext");
        JsonNode info = entry.required("DDBStreamBatchInfo");
        List<ObjectNode> records = new ArrayList<>();
        entry.required("records").forEach(record -> records.add((ObjectNode) record));
        return new Parked(context.required("functionArn").asText().substring(FUNCTION_ARN.length()), context.required("condition").asText(),
                info.required("shardId").asText(), info.required("streamArn").asText(), info.required("startSequenceNumber").asText(),
                info.required("endSequenceNumber").asText(), info.required("batchSize").asInt(), context.required("approximateInvokeCount").asInt(),
                Instant.parse(info.required("approximateArrivalOfFirstRecord").asText()), Instant.parse(entry.required("timestamp").asText()),
                List.copyOf(records));
    }

    /** Writes the list to its file, if it has one; called with the monitor held. */
    private void changed() {
        if (file == null) {
            return;
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, array().toString());
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the parked records to " + file, e);
        }
    }
}
