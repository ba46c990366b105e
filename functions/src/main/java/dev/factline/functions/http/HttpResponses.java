package dev.factline.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the responses API Gateway sends back: JSON bodies, and problems as RFC 9457 documents. */
public final class HttpResponses {

    public static final String JSON = MediaTypes.JSON;
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Echoed on every response, so a client can quote it when asking about one. */
    public static final String CORRELATION_ID = "X-Correlation-Id";

    private HttpResponses() {
    }

    /** A JSON response; {@code headers} come after {@code Content-Type} and may add to it. */
    public static APIGatewayV2HTTPResponse json(int status, String body, Map<String, String> headers) {
        return response(status, JSON, body, headers);
    }

    /**
     * {@code 304 Not Modified}: no body and no {@code Content-Type}, only {@code headers} (the
     * {@code ETag} the client already holds, at least), as RFC 9110 asks of a conditional GET.
     */
    public static APIGatewayV2HTTPResponse notModified(Map<String, String> headers) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(304)
                .withHeaders(new LinkedHashMap<>(headers))
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * The problem as {@code application/problem+json}: {@code type}, {@code title},
     * {@code status}, {@code detail}, {@code instance} (the request's path), {@code correlationId},
     * and {@code code} and {@code errors} when it has them.
     */
    public static APIGatewayV2HTTPResponse problem(Problem problem, String instance, String correlationId) {
        ObjectNode document = HttpJson.object()
                .put("type", problem.type())
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.detail())
                .put("instance", instance)
                .put("correlationId", correlationId);
        if (problem.code() != null) {
            document.put("code", problem.code());
        }
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = document.putArray("errors");
            for (FieldError error : problem.errors()) {
                errors.addObject().put("pointer", error.pointer()).put("detail", error.detail());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>(problem.headers());
        headers.put(CORRELATION_ID, correlationId);
        return response(problem.status(), PROBLEM_JSON, HttpJson.write(document), headers);
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", contentType);
        all.putAll(headers);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
