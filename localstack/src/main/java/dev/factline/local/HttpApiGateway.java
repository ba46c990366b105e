package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.factline.functions.topology.ApiRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * gives it (application/json): no route matches, 404 {@code {"message":"Not Found"}}; a body over 10 MB, 413 {@code {"message":"Request
 * Entity Too Large"}}; a function error (anything the handler throws, an {@link Error} too), a null
 * response, or one that cannot be turned into a request or written back, 500 {@code
 * {"message":"Internal Server Error"}}. {@code GET /_local/parked} lists what the stream triggers
 * parked (the on-failure destination); no deployed API has it.
 */
final class HttpApiGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiGateway.class.getClassLoader());
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final byte[] TOO_LARGE = "{\"message\":\"Request Entity Too Large\"}".getBytes(UTF_8);
    private static final byte[] INTERNAL_ERROR = "{\"message\":\"Internal Server Error\"}".getBytes(UTF_8);

    private record Route(ApiRoute route, Pattern path, List<String> names, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Route> routes = new ArrayList<>();

    HttpApiGateway(int port, List<ApiRoute> apiRoutes,
            Map<String, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
            Supplier<String> parked) throws IOException {
        for (ApiRoute route : apiRoutes) {
            List<String> names = new ArrayList<>();
            Matcher parameter = Pattern.compile("\\{([^}/]+)}").matcher(route.path());
            StringBuilder regex = new StringBuilder();
            int at = 0;
            while (parameter.find()) {
                regex.append(Pattern.quote(route.path().substring(at, parameter.start()))).append("([^/]+)");
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
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        this.threads = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "http-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, parked);
            } catch (RuntimeException | IOException e) {
                System.err.println("local API: " + e);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange, Supplier<String> parked) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/_local/parked") && method.equals("GET")) {
            write(exchange, 200, Map.of("content-type", "application/json"), parked.get().getBytes(UTF_8));
            return;
        }
        byte @Nullable [] body = readBody(exchange.getRequestBody());
        if (body == null) {
            write(exchange, 413, Map.of("content-type", "application/json"), TOO_LARGE);
            return;
        }
        Optional<Map.Entry<Route, Map<String, String>>> match = match(method, path);
        if (match.isEmpty()) {
            write(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}".getBytes(UTF_8));
            return;
        }
        Route route = match.get().getKey();
        Response answer;
        try {
            APIGatewayV2HTTPEvent event = EVENTS.fromJson(eventJson(exchange, route.route(), match.get().getValue(), body));
            @Nullable APIGatewayV2HTTPResponse response = route.function().invoke(event);
            if (response == null) {
                throw new IllegalStateException("the function returned no response");
            }
            answer = response(response);
        } catch (Throwable functionError) {
            System.err.println("function " + route.function().name() + " failed: " + functionError);
            functionError.printStackTrace();
            write(exchange, 500, Map.of("content-type", "application/json"), INTERNAL_ERROR);
            return;
        }
        write(exchange, answer.status(), answer.headers(), answer.cookies(), answer.body());
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
    static String eventJson(HttpExchange exchange, ApiRoute route, Map<String, String> pathParameters, byte[] body) {
        ObjectNode event = JSON.createObjectNode();
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        URI uri = exchange.getRequestURI();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        event.put("version", "2.0");
        event.put("routeKey", route.key());
        event.put("rawPath", uri.getRawPath());
        event.put("rawQueryString", rawQuery);
        ArrayNode cookies = JSON.createArrayNode();
        ObjectNode headers = event.putObject("headers");
        Map<String, List<String>> joined = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> joined.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
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
        headers.put("x-forwarded-for", exchange.getRemoteAddress().getAddress().getHostAddress());
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
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
        String host = exchange.getRequestHeaders().getFirst("Host");
        context.put("domainName", host == null ? "127.0.0.1" : host);
        context.put("domainPrefix", "local");
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", uri.getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        http.put("userAgent", userAgent == null ? "" : userAgent);
        context.put("requestId", requestId);
        context.put("routeKey", route.key());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        if (body.length > 0) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
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

    /** What is written back for a function's response, worked out before anything is sent. */
    private record Response(int status, Map<String, String> headers, List<String> cookies, byte[] body) {
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

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        write(exchange, status, headers, List.of(), body);
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, List<String> cookies, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        cookies.forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        exchange.getResponseHeaders().set("apigw-requestid", UUID.randomUUID().toString());
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
        if (noBody) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The request body, or null when it is over API Gateway's 10 MB (the rest is drained so the answer can be read). */
    private static byte @Nullable [] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return bytes;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
