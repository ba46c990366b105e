package dev.factline.functions.explorer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.functions.config.Environment;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.HttpResponses;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.RouteTable;
import dev.factline.functions.http.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The event explorer, {@code GET /_explorer/index.html}: a page of plain HTML, CSS and JavaScript
 * (no build step) from {@code functions/src/main/resources/explorer/}, which reads the API's
 * documented routes from the same origin. The deployed API and the local pipeline both route
 * {@value #PAGE} and {@value #FILES} here, behind the same authorization as every other route.
 *
 * <p>The files are read from the class path once, when the function is built (a few tens of KB,
 * SnapStart-safe: bytes, no time, no connection). {@value #PAGE} answers a redirect to the page, so
 * its relative links resolve under {@code /_explorer/}; {@code /_explorer/} (an empty file name) is
 * the page too. The content security policy allows only this origin: the page loads nothing from
 * elsewhere and runs no inline script. The function is given no resource and no permission: the
 * page reads data only through the API, with the caller's own authorization.
 */
public final class ExplorerFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Redirects to the page. */
    public static final String PAGE = "/_explorer";
    /** The page's files, by name ({@code index.html}, {@code explorer.js}, {@code explorer.css}). */
    public static final String FILES = "/_explorer/{proxy+}";
    /** Where the page is: what {@value #PAGE} redirects to, a path every route matcher sends to {@value #FILES}. */
    public static final String INDEX = "/_explorer/index.html";

    private static final List<String> NAMES = List.of("index.html", "explorer.css", "explorer.js");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");
    private static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");

    private enum Route { PAGE, FILE }

    private final RouteTable<Route> routes = RouteTable.<Route>builder("file of the explorer, whose page is " + INDEX + ",")
            .add("GET", PAGE, Route.PAGE)
            .add("GET", FILES, Route.FILE)
            .build();
    private final Map<String, byte[]> files;

    /** For Lambda, and the local pipeline: the files from this jar's class path. */
    public ExplorerFunction() {
        Map<String, byte[]> read = new LinkedHashMap<>();
        for (String name : NAMES) {
            read.put(name, resource(name));
        }
        this.files = Map.copyOf(read);
    }

    /**
     * The explorer as {@code environment} describes it, the one way the local pipeline builds it, as every function is
     * built: it reads nothing from the environment and builds no client, since it reaches no resource.
     */
    public static ExplorerFunction fromEnvironment(Environment environment) {
        Objects.requireNonNull(environment, "environment");
        return new ExplorerFunction();
    }

    /** The routes this function answers; others are 404 or 405. */
    public List<String> routeKeys() {
        return routes.keys();
    }

    /** The bytes of the page's files, by name, as served. */
    public Map<String, byte[]> files() {
        return files;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, @Nullable Context context) {
        HttpRequest request = HttpRequest.of(event);
        String correlationId = request.correlationId(() -> UUID.randomUUID().toString());
        try {
            RouteTable.Match<Route> match = routes.find(request.method(), request.path());
            return switch (match.target()) {
                case PAGE -> APIGatewayV2HTTPResponse.builder().withStatusCode(302)
                        .withHeaders(Map.of("Location", INDEX, HttpResponses.CORRELATION_ID, correlationId)).withIsBase64Encoded(false).build();
                case FILE -> file(match.parameter("proxy+"), correlationId);
            };
        } catch (ProblemException refused) {
            return HttpResponses.problem(refused.problem(), request.path(), correlationId);
        }
    }

    private APIGatewayV2HTTPResponse file(String name, String correlationId) {
        byte[] body = files.get(name.isEmpty() ? "index.html" : name);
        if (body == null) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "the explorer has no file " + Texts.quoted(name) + "; its page is "
                    + Texts.quoted(INDEX));
        }
        Map<String, String> headers = new LinkedHashMap<>(HEADERS);
        headers.put("Content-Type", TYPES.get(name.isEmpty() ? "html" : name.substring(name.lastIndexOf('.') + 1)));
        headers.put(HttpResponses.CORRELATION_ID, correlationId);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                .withBody(new String(body, StandardCharsets.UTF_8)).withIsBase64Encoded(false).build();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ExplorerFunction.class.getClassLoader().getResourceAsStream("explorer/" + name)) {
            if (in == null) {
                throw new IllegalStateException("explorer/" + name + " is missing from the class path: the functions jar was built without it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read explorer/" + name, e);
        }
    }
}
