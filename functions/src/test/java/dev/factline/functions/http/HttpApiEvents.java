package dev.factline.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * HTTP API (payload format 2.0) events as Lambda delivers them: a real event's JSON
 * ({@code apigateway/http-api-request.json}, shaped like AWS's documented example) with the
 * request's method, path, headers and body filled in, then deserialized by the Lambda runtime's
 * own serializer. Header names are lower-cased, as API Gateway does.
 */
public final class HttpApiEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> LAMBDA =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiEvents.class.getClassLoader());
    private static final String TEMPLATE = template();
    private static final AtomicLong REQUESTS = new AtomicLong();

    private HttpApiEvents() {
    }

    public static Request post(String path) {
        return request("POST", path);
    }

    public static Request request(String method, String path) {
        return new Request(method, path);
    }

    /** A request being described; {@link #event()} builds a fresh event each time. */
    public static final class Request {

        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private @Nullable String body;
        private boolean base64;
        /** API Gateway gives every request, retries included, an id of its own. */
        private Supplier<@Nullable String> requestId = () -> "req-" + REQUESTS.incrementAndGet();

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Request header(String name, String value) {
            headers.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        public Request withoutHeader(String name) {
            headers.remove(name.toLowerCase(Locale.ROOT));
            return this;
        }

        /** A JSON body, sent as {@code application/json}. */
        public Request json(String json) {
            return header("Content-Type", "application/json").body(json);
        }

        /** A body as it is, with whatever headers were set. */
        public Request body(String text) {
            this.body = text;
            this.base64 = false;
            return this;
        }

        /** A JSON body as API Gateway forwards binary ones: base64-encoded, flagged so. */
        public Request base64Json(byte[] bytes) {
            header("Content-Type", "application/json");
            return base64Body(Base64.getEncoder().encodeToString(bytes));
        }

        /** A body flagged as base64, taken as it is (valid or not). */
        public Request base64Body(String encoded) {
            this.body = encoded;
            this.base64 = true;
            return this;
        }

        /** A fixed request id for every event built from this request; {@code null} leaves it out. */
        public Request requestId(@Nullable String value) {
            this.requestId = () -> value;
            return this;
        }

        /** The event's JSON, as Lambda would receive it. */
        public String toJson() {
            try {
                ObjectNode event = (ObjectNode) JSON.readTree(TEMPLATE);
                event.put("rawPath", path);
                ObjectNode allHeaders = (ObjectNode) event.get("headers");
                headers.forEach(allHeaders::put);
                if (body != null) {
                    allHeaders.put("content-length", Integer.toString(contentLength(body, base64)));
                }
                event.put("body", body);
                event.put("isBase64Encoded", base64);
                ObjectNode context = (ObjectNode) event.get("requestContext");
                String id = requestId.get();
                if (id == null) {
                    context.remove("requestId");
                } else {
                    context.put("requestId", id);
                }
                ObjectNode http = (ObjectNode) context.get("http");
                http.put("method", method);
                http.put("path", path);
                return JSON.writeValueAsString(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public APIGatewayV2HTTPEvent event() {
            return LAMBDA.fromJson(toJson());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static int contentLength(String body, boolean base64) {
        if (!base64) {
            return body.getBytes(StandardCharsets.UTF_8).length;
        }
        try {
            return Base64.getDecoder().decode(body).length;
        } catch (IllegalArgumentException notBase64) {
            return body.length();
        }
    }

    private static String template() {
        try (InputStream in = HttpApiEvents.class.getResourceAsStream("/apigateway/http-api-request.json")) {
            if (in == null) {
                throw new IllegalStateException("the fixture apigateway/http-api-request.json is missing from the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
