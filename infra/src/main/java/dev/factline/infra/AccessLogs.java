package dev.factline.infra;

/** The HTTP API's access log line: one JSON object per request, in CloudWatch Logs. */
final class AccessLogs {

    /** HTTP API ($context) variables only; each one a JSON field. */
    static final String FORMAT = "{"
            + "\"requestId\":\"$context.requestId\","
            + "\"ip\":\"$context.identity.sourceIp\","
            + "\"requestTime\":\"$context.requestTime\","
            + "\"method\":\"$context.httpMethod\","
            + "\"routeKey\":\"$context.routeKey\","
            + "\"path\":\"$context.path\","
            + "\"status\":\"$context.status\","
            + "\"protocol\":\"$context.protocol\","
            + "\"responseLength\":\"$context.responseLength\","
            + "\"responseLatency\":\"$context.responseLatency\","
            + "\"integrationLatency\":\"$context.integrationLatency\","
            + "\"integrationError\":\"$context.integrationErrorMessage\","
            + "\"authorizerError\":\"$context.authorizer.error\","
            + "\"userAgent\":\"$context.identity.userAgent\""
            + "}";

    private AccessLogs() {
    }
}
