package dev.factline.functions.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem, before it is tied to a request (the {@code instance} and the correlation
 * id are added when it is rendered, by {@link HttpResponses#problem}).
 *
 * @param type the problem type URI, stable for clients to branch on
 * @param code a domain rule's code, for rule violations; {@code null} otherwise
 * @param errors the refused body members, when the problem is about fields
 * @param headers response headers the problem needs ({@code Allow} for a 405)
 */
public record Problem(
        String type, String title, int status, String detail, @Nullable String code, List<FieldError> errors, Map<String, String> headers) {

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        errors = List.copyOf(errors);
        headers = Map.copyOf(headers);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, but got " + status);
        }
    }

    /**
     * How long a client told 503 waits before it sends again (RFC 9110 {@code Retry-After}, in
     * seconds): a store that did not answer within its time budget is frozen or overloaded, and an
     * immediate retry from every client would only add to it.
     */
    public static final String RETRY_AFTER_SECONDS = "2";

    /** A problem of the type; a 503 carries {@code Retry-After} ({@link #RETRY_AFTER_SECONDS}). */
    public static Problem of(ProblemType type, String detail) {
        Map<String, String> headers = type.status() == 503 ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : Map.of();
        return new Problem(type.uri(), type.title(), type.status(), detail, null, List.of(), headers);
    }

    /** A 400 about members of the body; the detail is the first error's, with a count of the others. */
    public static Problem invalidFields(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a field problem needs at least one field error");
        }
        String detail = errors.size() == 1
                ? errors.getFirst().detail()
                : errors.stream().map(FieldError::detail).collect(Collectors.joining("; "));
        ProblemType type = ProblemType.INVALID_REQUEST;
        return new Problem(type.uri(), type.title(), type.status(), detail, null, errors, Map.of());
    }

    /**
     * A domain rule refused the command: type {@code .../rules/<code>}, status 422, and the code as
     * a member of its own so clients need not parse the URI.
     */
    public static Problem ruleViolated(String code, String detail) {
        return new Problem(ProblemType.BASE_URI + "rules/" + code, titleOf(code), 422, detail, code, List.of(), Map.of());
    }

    /** This problem, also carrying a rule's code (a 404 that a domain rule decided, say). */
    public Problem withCode(String value) {
        return new Problem(type, title, status, detail, value, errors, headers);
    }

    public Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, title, status, detail, code, errors, more);
    }

    /** Whether this is the server's fault (and so worth an error log line). */
    public boolean isServerError() {
        return status >= 500;
    }

    /** {@code insufficient-funds} -> {@code Insufficient funds}. */
    private static String titleOf(String code) {
        String words = code.replace('-', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
