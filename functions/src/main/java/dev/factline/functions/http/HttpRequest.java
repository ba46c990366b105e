package dev.factline.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the function reads of an API Gateway HTTP API event (payload format 2.0): method, raw
 * path, query string, headers and body. Header names are matched case-insensitively (API Gateway
 * lower-cases them; other callers may not). Absent parts read as empty, so a sparse event is
 * answered with a 404 or a 400, never a {@code NullPointerException}.
 */
public final class HttpRequest {

    /** A client's id that can be echoed and logged as it is: printable ASCII, no spaces, at most 128 characters. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final @Nullable String body;
    private final boolean base64Encoded;
    private final @Nullable String requestId;
    private final @Nullable String rawQueryString;
    private final Map<String, String> queryParameters;

    private HttpRequest(String method, String path, Map<String, String> headers, @Nullable String body, boolean base64Encoded,
            @Nullable String requestId, @Nullable String rawQueryString, Map<String, String> queryParameters) {
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.base64Encoded = base64Encoded;
        this.requestId = requestId;
        this.rawQueryString = rawQueryString;
        this.queryParameters = queryParameters;
    }

    public static HttpRequest of(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = context == null ? null : context.getHttp();
        String method = http == null || http.getMethod() == null ? "" : http.getMethod();
        String path = event.getRawPath() != null ? event.getRawPath() : http != null && http.getPath() != null ? http.getPath() : "";
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null && value != null) {
                    // API Gateway joins repeated headers with commas; do the same for names differing in case.
                    headers.merge(name.toLowerCase(Locale.ROOT), value, (first, second) -> first + "," + second);
                }
            });
        }
        Map<String, String> query = new HashMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((name, value) -> {
                if (name != null && value != null) {
                    query.put(name, value);
                }
            });
        }
        return new HttpRequest(method, path, Map.copyOf(headers), event.getBody(), event.getIsBase64Encoded(),
                context == null ? null : context.getRequestId(), event.getRawQueryString(), Map.copyOf(query));
    }

    public String method() {
        return method;
    }

    /** The path as the client sent it (not percent-decoded). */
    public String path() {
        return path;
    }

    /**
     * The query string's parameters, read from {@code rawQueryString} as the client sent it (so a
     * repeated parameter is seen as such), or from the decoded parameters when an event has only
     * those. Parsed on each call; a malformed escape is a 400 {@link ProblemException}.
     */
    public QueryString query() {
        if (rawQueryString != null && !rawQueryString.isEmpty()) {
            return QueryString.parse(rawQueryString);
        }
        return QueryString.of(queryParameters);
    }

    /**
     * The id a client can quote about this request: its own {@code X-Correlation-Id} when that is
     * a usable token, else API Gateway's request id when the event has one, else {@code fallback}'s
     * (a fresh id, drawn per request).
     */
    public String correlationId(Supplier<String> fallback) {
        String client = header(HttpResponses.CORRELATION_ID);
        if (isToken(client)) {
            return client;
        }
        return isToken(requestId) ? requestId : fallback.get();
    }

    /** Whether {@code value} can be echoed and logged as it is (printable ASCII, no spaces, 1-128 characters). */
    public static boolean isToken(@Nullable String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    /** The header's value, whatever the case of its name; repeated headers joined with commas. */
    public @Nullable String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** API Gateway's id of this request, if the event carries one. */
    public @Nullable String requestId() {
        return requestId;
    }

    /**
     * The body's bytes, refused before anything parses them: over {@code maxBytes} (413), not
     * JSON by its {@code Content-Type} (415), marked base64 but not base64, or text that UTF-8
     * cannot carry (400). Decoded base64 bytes that are not UTF-8 are the parser's to refuse. A
     * request without a body gives an empty array and needs no {@code Content-Type}.
     */
    public byte[] jsonBody(int maxBytes) {
        if (body == null || body.isEmpty()) {
            return new byte[0];
        }
        if (base64Encoded) {
            // Four characters carry three bytes: refuse what cannot fit before decoding it.
            if (body.length() / 4 > maxBytes / 3 + 1) {
                throw tooLarge(maxBytes);
            }
        } else if (body.length() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        MediaTypes.requireJson(header("Content-Type"));
        byte[] bytes = base64Encoded ? decodeBase64(body) : utf8(body);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return bytes;
    }

    /** A text body's bytes; one UTF-8 cannot carry is refused, not sent on as the {@code ?} that {@code getBytes} puts for it. */
    private static byte[] utf8(String text) {
        if (!Texts.isUnicode(text)) {
            throw new ProblemException(Problem.invalidFields(List.of(
                    new FieldError("", "the request body is not Unicode text: it holds half of a UTF-16 surrogate pair alone"))));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decodeBase64(String encoded) {
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST, "the request body is marked as base64-encoded, but it is not valid base64");
        }
    }

    private static ProblemException tooLarge(int maxBytes) {
        return ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE,
                "the request body is larger than " + maxBytes + " bytes; commands are small, large content belongs elsewhere");
    }
}
