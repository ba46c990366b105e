package dev.factline.functions.query;

import dev.factline.functions.observability.LogLine;
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
 * on without. A 5xx line is {@code ERROR} with the exception's stack trace ({@link LogLine}).
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
        sink.accept(LogLine.about(line.error())
                .put("route", line.route())
                .put("subject", line.subject())
                .put("version", line.version())
                .put("status", line.status())
                .put("outcome", line.outcome())
                .put("source", line.source())
                .put("durationMs", line.durationMs())
                .put("correlationId", line.correlationId())
                .put("cacheFailure", line.cacheFailure())
                .text());
    }
}
