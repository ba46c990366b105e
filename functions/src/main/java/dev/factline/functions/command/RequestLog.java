package dev.factline.functions.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.http.HttpJson;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * does. Written with the Jackson already on the class path rather than Powertools logging, whose
 * logging backend and aspects would add to every cold start for one line per request.
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

    void write(Line line) {
        ObjectNode json = HttpJson.object().put("level", line.error() == null ? "INFO" : "ERROR");
        putIfKnown(json, "route", line.route());
        putIfKnown(json, "stream", line.stream());
        if (line.version() != null) {
            json.put("version", line.version());
        }
        json.put("status", line.status())
                .put("outcome", line.outcome())
                .put("durationMs", line.durationMs())
                .put("correlationId", line.correlationId())
                .put("replayed", line.replayed());
        if (line.error() != null) {
            StringWriter trace = new StringWriter();
            line.error().printStackTrace(new PrintWriter(trace));
            json.put("error", trace.toString());
        }
        sink.accept(HttpJson.write(json));
    }

    private static void putIfKnown(ObjectNode json, String name, @Nullable String value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
