package dev.factline.functions.observability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.eventsourcing.Warnings;
import dev.factline.functions.http.HttpJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One JSON line of a function's log (Lambda sends standard output to CloudWatch Logs, where Logs
 * Insights reads the fields), its fields in the order they are put:
 *
 * <pre>
 * {"level":"INFO","route":"GET /accounts/{id}","status":200,...}
 * {"level":"ERROR",...,"errorType":"java.lang.IllegalStateException","errorMessage":"...","error":"java.lang.IllegalStateException: ...\n\tat ..."}
 * </pre>
 *
 * A line about an error is {@code ERROR} (a warning's, {@code WARN}) and ends with the exception's class, its message and its
 * stack trace (with causes), which no response carries; a value not known ({@code null}) is left
 * out. The functions run with {@code -XX:-OmitStackTraceInFastThrow}: without it, an exception
 * the JIT throws often (an {@code ArithmeticException} from {@code Math.addExact}) comes with
 * neither message nor stack. Written with the Jackson
 * already on the class path rather than Powertools logging, whose logging backend and aspects
 * would add to every cold start for one line per request.
 */
public final class LogLine {

    private final ObjectNode json;
    private final @Nullable Throwable error;

    private LogLine(String level, @Nullable Throwable error) {
        this.error = error;
        this.json = HttpJson.object().put("level", level);
    }

    /** A line at {@code INFO}, or at {@code ERROR} with {@code error} when there is one. */
    public static LogLine about(@Nullable Throwable error) {
        return new LogLine(error == null ? "INFO" : "ERROR", error);
    }

    /** A line at {@code WARN}: something survived without failing the request, with its cause when there is one. */
    public static LogLine warning(@Nullable Throwable cause) {
        return new LogLine("WARN", cause);
    }

    /** The kernel's {@link Warnings} as {@code WARN} lines on {@code sink}: {@code {"level":"WARN","warning":"could not snapshot ...",...}}. */
    public static Warnings warningsTo(Consumer<String> sink) {
        Objects.requireNonNull(sink, "sink");
        return (message, cause) -> sink.accept(warning(cause).put("warning", message).text());
    }

    /** Puts the field, or leaves it out when {@code value} is not known. */
    public LogLine put(String name, @Nullable String value) {
        if (value != null) {
            json.put(name, value);
        }
        return this;
    }

    /** Puts the field, or leaves it out when {@code value} is not known. */
    public LogLine put(String name, @Nullable Long value) {
        if (value != null) {
            json.put(name, value);
        }
        return this;
    }

    public LogLine put(String name, long value) {
        json.put(name, value);
        return this;
    }

    public LogLine put(String name, boolean value) {
        json.put(name, value);
        return this;
    }

    /** The line: its fields as put, then the error with its stack trace, if any. */
    public String text() {
        if (error != null) {
            json.put("errorType", error.getClass().getName());
            put("errorMessage", error.getMessage());
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            json.put("error", trace.toString());
        }
        return HttpJson.write(json);
    }
}
