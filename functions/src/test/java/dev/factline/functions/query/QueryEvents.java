package dev.factline.functions.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.http.HttpApiEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET (and other) requests with a query string, as Lambda delivers them: the shared fixture's
 * event ({@link HttpApiEvents}) with {@code rawQueryString} as sent and
 * {@code queryStringParameters} decoded, repeats joined with commas, as API Gateway does; then
 * read by the Lambda runtime's own serializer.
 */
final class QueryEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> LAMBDA =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, QueryEvents.class.getClassLoader());

    private QueryEvents() {
    }

    /** {@code GET /accounts/a-1?minVersion=2}: the path as sent, and the query string after '?'. */
    static Request get(String target) {
        return request("GET", target);
    }

    static Request request(String method, String target) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        return new Request(HttpApiEvents.request(method, path), query, method + " " + target);
    }

    static final class Request {

        private final HttpApiEvents.Request http;
        private final String rawQuery;
        private final String description;

        private Request(HttpApiEvents.Request http, String rawQuery, String description) {
            this.http = http;
            this.rawQuery = rawQuery;
            this.description = description;
        }

        Request header(String name, String value) {
            http.header(name, value);
            return this;
        }

        Request json(String body) {
            http.json(body);
            return this;
        }

        String toJson() {
            try {
                ObjectNode event = (ObjectNode) JSON.readTree(http.toJson());
                event.put("rawQueryString", rawQuery);
                if (!rawQuery.isEmpty()) {
                    ObjectNode decoded = event.putObject("queryStringParameters");
                    parameters(rawQuery).forEach(decoded::put);
                }
                return JSON.writeValueAsString(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        APIGatewayV2HTTPEvent event() {
            return LAMBDA.fromJson(toJson());
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static Map<String, String> parameters(String raw) {
        Map<String, String> decoded = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            decoded.merge(name, value, (first, second) -> first + "," + second);
        }
        return decoded;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }
}
