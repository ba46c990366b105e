package dev.factline.functions.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.HttpResponses;
import dev.factline.functions.http.Problem;
import dev.factline.functions.http.ProblemType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One request on its way through the function: the request, its correlation id, what it reads,
 * and its {@link QueryTrace}; it answers, writes the log line and records the metrics, once.
 * {@code HEAD} is answered as {@code GET} without a body.
 */
final class QueryExchange {

    private static final String PROBLEM_TYPES = ProblemType.BASE_URI;

    private final HttpRequest request;
    private final String correlationId;
    private final QueryLog log;
    private final QueryMetrics metrics;
    private final long startedNanos;
    private final QueryTrace trace = new QueryTrace();
    private @Nullable String route;
    private @Nullable String subject;

    QueryExchange(HttpRequest request, QueryLog log, QueryMetrics metrics) {
        this.startedNanos = System.nanoTime();
        this.request = request;
        // A fresh id per request when neither the client nor API Gateway gave one (never one drawn at start).
        this.correlationId = request.correlationId(() -> UUID.randomUUID().toString());
        this.log = log;
        this.metrics = metrics;
    }

    HttpRequest request() {
        return request;
    }

    QueryTrace trace() {
        return trace;
    }

    void routed(String routeKey) {
        this.route = routeKey;
    }

    void parsed(Query query) {
        this.subject = query.subject();
    }

    /** 200 with the representation, or 304 when the client's {@code If-None-Match} names its tag. */
    APIGatewayV2HTTPResponse answered(Query query, Representation answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", answer.etag());
        headers.put(HttpResponses.CORRELATION_ID, correlationId);
        APIGatewayV2HTTPResponse response;
        String outcome;
        if (query.ifNoneMatch() != null && query.ifNoneMatch().matches(answer.etag())) {
            response = HttpResponses.notModified(headers);
            outcome = "not-modified";
        } else {
            response = HttpResponses.json(200, isHead() ? "" : answer.json(), headers);
            outcome = "ok";
        }
        finish(response.getStatusCode(), outcome, answer.version(), null);
        return response;
    }

    APIGatewayV2HTTPResponse failed(RuntimeException failure) {
        Problem problem = QueryProblems.of(failure);
        String outcome = problem.type().startsWith(PROBLEM_TYPES) ? problem.type().substring(PROBLEM_TYPES.length()) : problem.type();
        finish(problem.status(), outcome, null, problem.isServerError() ? failure : null);
        APIGatewayV2HTTPResponse response = HttpResponses.problem(problem, request.path(), correlationId);
        if (isHead()) {
            response.setBody("");
        }
        return response;
    }

    private boolean isHead() {
        return "HEAD".equals(request.method());
    }

    private void finish(int status, String outcome, @Nullable Long version, @Nullable Throwable error) {
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        log.write(new QueryLog.Line(route, subject, version, status, outcome, trace.source(), durationMs, correlationId,
                trace.cacheFailure(), error));
        // Metrics never change an answer.
        try {
            metrics.record(trace.figures(status));
        } catch (RuntimeException failure) {
            log.write(new QueryLog.Line(route, subject, null, status, "metrics-failed", null, 0, correlationId, null, failure));
        }
    }
}
