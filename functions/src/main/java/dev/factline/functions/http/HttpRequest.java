package dev.factline.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the function reads of an API Gateway HTTP API event (payload format 2.0): method, raw
 * path, headers and body. Header names are matched case-insensitively (API Gateway lower-cases
 * them; other callers may not). Absent parts read as empty, so a sparse event is answered with a
 * 404 or a 400, never a {@code NullPointerException}.
 */
public final class HttpRequest {

    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final @Nullable String body;
    private final boolean base64Encoded;
    private final @Nullable String requestId;

    private HttpRequest(String method, String path, Map<String, String> headers, @Nullable String body, boolean base64Encoded,
            @Nullable String requestId) {
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.body = body;
        this.base64Encoded = base64Encoded;
        this.requestId = requestId;
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
        return new HttpRequest(method, path, Map.copyOf(headers), event.getBody(), event.getIsBase64Encoded(),
                context == null ? null : context.getRequestId());
    }

    public String method() {
        return method;
    }

    /** The path as the client sent it (not percent-decoded). */
    public String path() {
        return path;
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
     * JSON by its {@code Content-Type} (415), marked base64 but not base64 (400). A request without
     * a body gives an empty array and needs no {@code Content-Type}.
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
        byte[] bytes = base64Encoded ? decodeBase64(body) : body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return bytes;
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
