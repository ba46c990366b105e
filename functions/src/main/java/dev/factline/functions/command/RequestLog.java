package dev.factline.functions.command;

import dev.factline.eventsourcing.Warnings;
import dev.factline.functions.observability.LogLine;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One JSON line per request, on standard output (Lambda sends it to CloudWatch Logs, where Logs
 * Insights reads the fields):
 *
 * <pre>
 * {"level":"INFO","route":"POST /accounts/{id}/deposits","stream":"account#a-1","version":3,
 *  "status":200,"outcome":"ok","durationMs":12,"correlationId":"...","replayed":false}
 * </pre>
 *
 * A 5xx line is {@code ERROR} and carries the exception with its stack trace, which no response
 * does ({@link LogLine}).
 */
final class RequestLog {

    /** What is known of a request when it is answered; unknown parts are {@code null} and left out. */
    record Line(
            @Nullable String route,
            @Nullable String stream,
            @Nullable Long version,
            int status,
            String outcome,
            long durationMs,
            String correlationId,
            boolean replayed,
            @Nullable Throwable error) {
    }

    private final Consumer<String> sink;

    RequestLog(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    static RequestLog standardOutput() {
        return new RequestLog(System.out::println);
    }

    /** The kernel's warnings (a snapshot not saved, say) as {@code WARN} lines on the same sink. */
    Warnings warnings() {
        return LogLine.warningsTo(sink);
    }

    void write(Line line) {
        sink.accept(LogLine.about(line.error())
                .put("route", line.route())
                .put("stream", line.stream())
                .put("version", line.version())
                .put("status", line.status())
                .put("outcome", line.outcome())
                .put("durationMs", line.durationMs())
                .put("correlationId", line.correlationId())
                .put("replayed", line.replayed())
                .text());
    }
}
