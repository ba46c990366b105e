package dev.factline.functions.projector;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.observability.LogLine;
import dev.factline.functions.stream.RecordProblem;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One JSON line per batch on standard output, in the publisher's shape (CloudWatch Logs; Logs
 * Insights reads the fields):
 *
 * <pre>
 * {"level":"WARN","records":100,"applied":180,"duplicates":0,"rowsWritten":21,"transactions":1,"redisRoundTrips":1,
 *  "cacheFailures":0,"failedRecords":1,"lagMs":140,"durationMs":35,"retryFrom":"4000000000000123",
 *  "problems":[{"kind":"unappliable","sequenceNumber":"4000000000000123","streamId":"account#a-1",
 *  "readModel":"account-view@1","reason":"..."}]}
 * </pre>
 *
 * {@code WARN} when records go back to Lambda, else {@code INFO}. Each reported record is listed
 * once per read model it failed in, with the reason (DynamoDB's own, when it refused a row).
 */
final class ProjectorLog {

    private final Consumer<String> sink;

    ProjectorLog(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    static ProjectorLog standardOutput() {
        return new ProjectorLog(System.out::println);
    }

    void batch(Projector.Result result, Duration took) {
        BatchFigures figures = result.figures();
        StreamsEventResponse response = result.response();
        boolean retried = response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty();
        ObjectNode line = HttpJson.object()
                .put("level", retried ? "WARN" : "INFO")
                .put("records", figures.records())
                .put("applied", figures.eventsApplied())
                .put("duplicates", figures.duplicatesSkipped())
                .put("rowsWritten", figures.rowsWritten())
                .put("transactions", figures.transactions())
                .put("redisRoundTrips", figures.redisRoundTrips())
                .put("cacheFailures", figures.cacheFailures())
                .put("failedRecords", figures.failedRecords())
                .put("lagMs", figures.maxLagMillis())
                .put("durationMs", took.toMillis());
        if (retried) {
            line.put("retryFrom", response.getBatchItemFailures().getFirst().getItemIdentifier());
        }
        RecordProblem.listIn(line, result.problems());
        sink.accept(HttpJson.write(line));
    }

    /** Metrics never change the answer; a failure to record them is logged instead. */
    void metricsFailed(RuntimeException failure) {
        sink.accept(LogLine.about(failure).put("outcome", "metrics-failed").text());
    }
}
