package dev.factline.functions.publisher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.stream.RecordProblem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One JSON line per batch, on standard output (CloudWatch Logs; Logs Insights reads the fields):
 *
 * <pre>
 * {"level":"WARN","records":100,"commits":98,"published":97,"calls":3,"retried":2,"refused":2,
 *  "failedRecords":1,"unreadable":0,"unpublishable":1,"lagMs":1200,"durationMs":85,
 *  "retryFrom":"4000000000000123","problems":[{"kind":"unpublishable","sequenceNumber":"4000000000000123",
 *  "streamId":"account#a-1","version":7,"reason":"..."}]}
 * </pre>
 *
 * {@code WARN} when records go back to Lambda, else {@code INFO}. Each problem names the record
 * (sequence number), the stream and version when known, and why; records held back behind a
 * problem of their stream are counted in {@code failedRecords}, not listed, and past
 * {@value RecordProblem#MAX_LISTED} problems the rest are only counted ({@code problemsNotListed}).
 */
final class PublisherLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Consumer<String> sink;

    PublisherLog(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    static PublisherLog standardOutput() {
        return new PublisherLog(System.out::println);
    }

    void batch(PublishedBatch batch, List<RecordProblem> problems, Duration took) {
        ObjectNode line = JSON.createObjectNode()
                .put("level", batch.retryFrom().isPresent() ? "WARN" : "INFO")
                .put("records", batch.records())
                .put("commits", batch.commits())
                .put("published", batch.eventsPublished())
                .put("calls", batch.putRecordsCalls())
                .put("retried", batch.entriesRetried())
                .put("refused", batch.entriesRefused())
                .put("failedRecords", batch.recordsFailed())
                .put("unreadable", batch.unreadableRecords())
                .put("unpublishable", batch.unpublishableEvents());
        if (batch.lag() != null) {
            line.put("lagMs", batch.lag().toMillis());
        }
        line.put("durationMs", took.toMillis());
        batch.retryFrom().ifPresent(sequenceNumber -> line.put("retryFrom", sequenceNumber));
        RecordProblem.listIn(line, problems);
        sink.accept(write(line));
    }

    /** Metrics never change the answer; a failure to record them is logged instead. */
    void metricsFailed(RuntimeException failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        sink.accept(write(JSON.createObjectNode().put("level", "ERROR").put("outcome", "metrics-failed").put("error", trace.toString())));
    }

    private static String write(ObjectNode line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
