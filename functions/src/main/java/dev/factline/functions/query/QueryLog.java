package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.http.HttpJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One JSON line per query on standard output, as the command function writes its own:
 *
 * <pre>
 * {"level":"INFO","route":"GET /accounts/{id}","subject":"account#a-1","version":3,"status":200,
 *  "outcome":"ok","source":"redis","durationMs":2,"correlationId":"..."}
 * </pre>
 *
 * {@code source} says where the answer came from ({@code lru}, {@code redis}, {@code table},
 * {@code events}); {@code cacheFailure} carries the last Redis failure a request met and went
 * on without. A 5xx line is {@code ERROR} with the exception's stack trace, which no response
 * carries.
 */
final class QueryLog {

    record Line(
            @Nullable String route,
            @Nullable String subject,
            @Nullable Long version,
            int status,
            String outcome,
            @Nullable String source,
            long durationMs,
            String correlationId,
            @Nullable String cacheFailure,
            @Nullable Throwable error) {
    }

    private final Consumer<String> sink;

    QueryLog(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    static QueryLog standardOutput() {
        return new QueryLog(System.out::println);
    }

    void write(Line line) {
        ObjectNode json = HttpJson.object().put("level", line.error() == null ? "INFO" : "ERROR");
        putIfKnown(json, "route", line.route());
        putIfKnown(json, "subject", line.subject());
        if (line.version() != null) {
            json.put("version", line.version());
        }
        json.put("status", line.status()).put("outcome", line.outcome());
        putIfKnown(json, "source", line.source());
        json.put("durationMs", line.durationMs()).put("correlationId", line.correlationId());
        putIfKnown(json, "cacheFailure", line.cacheFailure());
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
