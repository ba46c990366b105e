package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.topology.ApiRoute;
import dev.factline.local.HttpFront.Request;
import dev.factline.local.HttpFront.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * API Gateway's HTTP API, locally: each request becomes the payload format 2.0 event JSON that API
 * Gateway sends (rawPath, rawQueryString, lower-case headers with repeats joined by commas, cookies
 * apart, queryStringParameters, pathParameters, a text body as is and any other base64-encoded,
 * requestContext with http, requestId, routeKey, stage {@code $default}, time and timeEpoch),
 * parsed by the official Lambda serializer into an {@link APIGatewayV2HTTPEvent}, and routed by the
 * topology's routes to its function. The function's response is written back as API Gateway
 * does: status, headers, cookies as {@code Set-Cookie}, a base64 body decoded (payload format 2.0
 * has no multi-value headers, so a response's are ignored).
 *
 * <p>A route of the request's method wins over the path's {@code ANY} route, which catches the
 * other methods, as API Gateway selects routes. Every request gets an answer, each as API Gateway
 * gives it (application/json): one that is not HTTP it can read, 400 {@code {"message":"Bad
 * Request"}}, and a body over 10 MB, 413 {@code {"message":"Request Entity Too Large"}} (both from
 * the {@link HttpFront}); no route matches, 404 {@code {"message":"Not Found"}}; a function error
 * (anything the handler throws, an {@link Error} too), a null response, one that cannot be
 * turned into a request or written back, or a function throttled at its reserved concurrency, 500 {@code {"message":"Internal Server Error"}}. {@code GET
 * /_local/parked} lists what the stream triggers parked (the on-failure destination); no deployed
 * API has it.
 */
final class HttpApiGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiGateway.class.getClassLoader());
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Response NOT_FOUND = Response.json(404, "{\"message\":\"Not Found\"}");
    private static final Response INTERNAL_ERROR = Response.json(500, "{\"message\":\"Internal Server Error\"}");

    private record Route(ApiRoute route, Pattern path, List<String> names, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final HttpFront front;
    private final @Nullable SignatureCheck iam;

    HttpApiGateway(int port, List<ApiRoute> apiRoutes,
            Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
            Map<String, Supplier<String>> localRoutes) throws IOException {
        this(port, apiRoutes, functions, localRoutes, Map.of());
    }

    /** With {@code localTrees}: routes served here for every path under a prefix ({@code "GET /schemas/"}), handed the rest of the path. */
    HttpApiGateway(int port, List<ApiRoute> apiRoutes,
            Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
            Map<String, Supplier<String>> localRoutes, Map<String, Function<String, Response>> localTrees) throws IOException {
        this(port, apiRoutes, functions, localRoutes, localTrees, null);
    }

    /**
     * With {@code iam}: every route of the API wants a SigV4 signature, as the deployed API's IAM
     * auth does; a request {@code iam} refuses gets its 403 and reaches no function. The local routes
     * ({@code /_local/...}, the documents) have no counterpart on AWS and stay open.
     */
    HttpApiGateway(int port, List<ApiRoute> apiRoutes,
            Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
            Map<String, Supplier<String>> localRoutes, Map<String, Function<String, Response>> localTrees, @Nullable SignatureCheck iam)
            throws IOException {
        this.iam = iam;
        for (ApiRoute route : apiRoutes) {
            List<String> names = new ArrayList<>();
            Matcher parameter = Pattern.compile("\\{([^}/]+)}").matcher(route.path());
            StringBuilder regex = new StringBuilder();
            int at = 0;
            while (parameter.find()) {
                // A greedy variable ({proxy+}, the last segment) takes the rest of the path, slashes included; here an
                // empty rest too, so /_explorer/ reaches the explorer's files (whether API Gateway does is not known here).
                boolean greedy = parameter.group(1).endsWith("+");
                regex.append(Pattern.quote(route.path().substring(at, parameter.start()))).append(greedy ? "(.*)" : "([^/]+)");
                names.add(parameter.group(1));
                at = parameter.end();
            }
            regex.append(Pattern.quote(route.path().substring(at)));
            LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = functions.get(route.function());
            if (function == null) {
                throw new IllegalArgumentException("route " + route.key() + " names function " + route.function() + ", which is not running");
            }
            routes.add(new Route(route, Pattern.compile(regex.toString()), names, function));
        }
        this.front = new HttpFront(port, request -> serve(request, localRoutes, localTrees));
    }

    URI url() {
        return front.url();
    }

    private Response serve(Request request, Map<String, Supplier<String>> localRoutes, Map<String, Function<String, Response>> localTrees) {
        String method = request.method();
        String path = request.rawPath();
        Supplier<String> local = localRoutes.get(method + " " + path);
        if (local != null) {
            return Response.json(200, local.get());
        }
        for (Map.Entry<String, Function<String, Response>> tree : localTrees.entrySet()) {
            if ((method + " " + path).startsWith(tree.getKey())) {
                return tree.getValue().apply((method + " " + path).substring(tree.getKey().length()));
            }
        }
        Optional<Map.Entry<Route, Map<String, String>>> match = match(method, path);
        if (match.isEmpty()) {
            return NOT_FOUND;
        }
        Route route = match.get().getKey();
        Optional<Response> refused = iam == null ? Optional.empty() : iam.refusal(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            APIGatewayV2HTTPEvent event = EVENTS.fromJson(eventJson(request, route.route(), match.get().getValue()));
            @Nullable APIGatewayV2HTTPResponse response = route.function().invokeOrThrottle(event);
            if (response == null) {
                throw new IllegalStateException("the function returned no response");
            }
            return response(response);
        } catch (LocalFunction.ThrottledException throttled) {
            // Lambda's 429 TooManyRequestsException, which API Gateway answers as an integration failure.
            System.err.println("[local] " + throttled.getMessage());
            return INTERNAL_ERROR;
        } catch (Throwable functionError) {
            System.err.println("function " + route.function().name() + " failed: " + functionError);
            functionError.printStackTrace();
            return INTERNAL_ERROR;
        }
    }

    /** API Gateway's route selection: the route of the request's method, else the path's ANY route. */
    private Optional<Map.Entry<Route, Map<String, String>>> match(String method, String path) {
        Optional<Map.Entry<Route, Map<String, String>>> any = Optional.empty();
        for (Route route : routes) {
            boolean anyMethod = route.route().anyMethod();
            if (!anyMethod && !route.route().method().equals(method)) {
                continue;
            }
            Matcher matcher = route.path().matcher(path);
            if (matcher.matches()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < route.names().size(); i++) {
                    parameters.put(route.names().get(i), java.net.URLDecoder.decode(matcher.group(i + 1).replace("+", "%2B"), UTF_8));
                }
                if (!anyMethod) {
                    return Optional.of(Map.entry(route, parameters));
                }
                any = Optional.of(Map.entry(route, parameters));
            }
        }
        return any;
    }

    /** The request as API Gateway's payload format 2.0 JSON. */
    static String eventJson(Request request, ApiRoute route, Map<String, String> pathParameters) {
        ObjectNode event = JSON.createObjectNode();
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String rawQuery = request.rawQuery();
        event.put("version", "2.0");
        event.put("routeKey", route.key());
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", rawQuery);
        ArrayNode cookies = JSON.createArrayNode();
        ObjectNode headers = event.putObject("headers");
        Map<String, List<String>> joined = new LinkedHashMap<>();
        request.headers().forEach(field -> joined.computeIfAbsent(field.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue()));
        joined.forEach((name, values) -> {
            if (name.equals("cookie")) {
                values.forEach(value -> {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.strip());
                        }
                    }
                });
            } else {
                headers.put(name, String.join(",", values));
            }
        });
        String sourceIp = request.remote().getAddress().getHostAddress();
        headers.put("x-forwarded-for", sourceIp);
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(request.localPort()));
        if (!cookies.isEmpty()) {
            event.set("cookies", cookies);
        }
        if (!rawQuery.isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), UTF_8);
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            values.forEach((name, list) -> query.put(name, String.join(",", list)));
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        @Nullable String host = request.header("Host");
        context.put("domainName", host == null ? "127.0.0.1" : host);
        context.put("domainPrefix", "local");
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", sourceIp);
        @Nullable String userAgent = request.header("User-Agent");
        http.put("userAgent", userAgent == null ? "" : userAgent);
        context.put("requestId", requestId);
        context.put("routeKey", route.key());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        byte[] body = request.body();
        if (body.length > 0) {
            @Nullable String type = request.header("Content-Type");
            boolean text = type != null && isText(type);
            event.put("body", text ? new String(body, UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return FilterPattern.text(event);
    }

    /** What API Gateway passes as text rather than base64: text/*, JSON, XML, forms. */
    private static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.startsWith("application/x-www-form-urlencoded")
                || type.startsWith("application/javascript");
    }

    /** The function's response as API Gateway writes it back; payload format 2.0 has no multi-value headers. */
    private static Response response(APIGatewayV2HTTPResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            headers.putAll(response.getHeaders());
        }
        List<String> cookies = response.getCookies() == null ? List.of() : List.copyOf(response.getCookies());
        @Nullable String body = response.getBody();
        byte[] bytes = body == null ? new byte[0] : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(UTF_8);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        return new Response(status, headers, cookies, bytes);
    }

    @Override
    public void close() {
        front.close();
    }
}
