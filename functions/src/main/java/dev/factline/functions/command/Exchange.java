package dev.factline.functions.command;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.functions.http.HttpRequest;
import dev.factline.personal.DataKeys;
import dev.factline.functions.http.HttpResponses;
import dev.factline.functions.http.Problem;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.observability.CommandMetrics;
import org.jspecify.annotations.Nullable;

/**
 * One request on its way through the function: the request, the ids it goes by, and what has
 * been learned of it so far (its route, its command), which its answer and its log line use.
 *
 * <p>The command id is API Gateway's request id (a fresh one when the event has none); the
 * correlation id is the client's {@code X-Correlation-Id} when it is a usable token, else the
 * command id, so every request has one to quote.
 */
final class Exchange {

    private static final String PROBLEM_TYPES = ProblemType.BASE_URI;

    private final HttpRequest request;
    private final String commandId;
    private final String correlationId;
    private final RequestLog log;
    private final CommandMetrics metrics;
    private final long startedNanos;
    private @Nullable String route;
    private @Nullable Submission submission;

    Exchange(HttpRequest request, IdGenerator ids, RequestLog log, CommandMetrics metrics) {
        this.startedNanos = System.nanoTime();
        this.request = request;
        this.commandId = HttpRequest.isToken(request.requestId()) ? request.requestId() : ids.next().toString();
        // The client's id when usable, else the request id when usable (then the command id), else the command id.
        this.correlationId = request.correlationId(() -> commandId);
        this.log = log;
        this.metrics = metrics;
    }

    HttpRequest request() {
        return request;
    }

    /** The metadata the command's events carry; a request from a client is caused by no event. */
    EventMetadata metadata() {
        return new EventMetadata(commandId, correlationId, null);
    }

    void routed(String routeKey) {
        this.route = routeKey;
    }

    void submitted(Submission value) {
        this.submission = value;
    }

    APIGatewayV2HTTPResponse succeeded(Submission handled, CommandResult result, DataKeys keys) {
        APIGatewayV2HTTPResponse response = CommandResponses.of(result, handled.command().location(), !"DELETE".equals(request.method()),
                correlationId, keys);
        String outcome = response.getStatusCode() == 201 ? "created" : "ok";
        log(response.getStatusCode(), outcome, result.streamVersion(), result.replayed(), null);
        recordMetrics(response.getStatusCode(), result.conflicts(), result.replayed());
        return response;
    }

    APIGatewayV2HTTPResponse failed(RuntimeException failure) {
        Problem problem = CommandProblems.of(failure, submission != null && submission.pinned());
        String outcome = problem.type().startsWith(PROBLEM_TYPES) ? problem.type().substring(PROBLEM_TYPES.length()) : problem.type();
        log(problem.status(), outcome, null, false, problem.isServerError() ? failure : null);
        recordMetrics(problem.status(), 0, false);
        return HttpResponses.problem(problem, request.path(), correlationId);
    }

    private void log(int status, String outcome, @Nullable Long version, boolean replayed, @Nullable Throwable error) {
        long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        String stream = submission == null ? null : submission.command().streamId().toString();
        log.write(new RequestLog.Line(route, stream, version, status, outcome, durationMs, correlationId, replayed, error));
    }

    /** Metrics never change an answer: a command already committed must not turn into an error. */
    private void recordMetrics(int status, int versionConflicts, boolean replayed) {
        try {
            metrics.record(status, versionConflicts, replayed);
        } catch (RuntimeException failure) {
            log.write(new RequestLog.Line(route, null, null, status, "metrics-failed", 0, correlationId, replayed, failure));
        }
    }
}
