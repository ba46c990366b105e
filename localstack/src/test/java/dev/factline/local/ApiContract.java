package dev.factline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import dev.factline.functions.topology.ApiDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the OpenAPI document ({@link ApiDocument}, on the class path as {@code openapi.json}) lets
 * the API answer, checked for one response: its status is documented for the request's operation,
 * its content type is one the document gives that status, its body follows that content's schema
 * (networknt json-schema-validator, the document's OpenAPI 3.1 dialect) and the headers the
 * document requires are there. A method the path does not document must be answered as
 * {@code components.responses.Problem405}, a path the document does not list as
 * {@code components.responses.NoRoute}: API Gateway's own 404.
 */
final class ApiContract {

    private static final String DOCUMENT_LOCATION = "classpath:openapi.json";
    /** The local pipeline's own routes ({@code /_local/...}, the document itself), which no deployed API has. */
    private static final Pattern LOCAL_ONLY = Pattern.compile("/_local/.*|/openapi\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DOCUMENT = parse(ApiDocument.json());
    /** Formats ({@code date-time}, {@code uuid}, {@code uri}) are asserted, not only annotations as 2020-12 has them by default. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<String, Schema> BY_POINTER = new ConcurrentHashMap<>();

    /** One response as the client saw it. */
    record Exchange(String method, String path, int status, Function<String, Optional<String>> header, String body) {
    }

    private ApiContract() {
    }

    /** Why {@code exchange} is not what the document allows; empty when it is. */
    static List<String> violations(Exchange exchange) {
        String path = exchange.path().replaceFirst("[?#].*", "");
        if (LOCAL_ONLY.matcher(path).matches()) {
            return List.of();
        }
        Optional<String> template = template(path);
        if (template.isEmpty()) {
            return answeredAs(exchange, 404, "/components/responses/NoRoute", "a path the document does not list");
        }
        String operation = "/paths/" + escape(template.get()) + "/" + exchange.method().toLowerCase(Locale.ROOT);
        if (DOCUMENT.at(operation).isMissingNode()) {
            return answeredAs(exchange, 405, "/components/responses/Problem405", exchange.method() + " on " + template.get() + ", which the document does not give it,");
        }
        String pointer = operation + "/responses/" + exchange.status();
        if (DOCUMENT.at(pointer).isMissingNode()) {
            return List.of(exchange.method() + " " + template.get() + " does not document status " + exchange.status()
                    + " (answered " + exchange.body() + ")");
        }
        return response(exchange, pointer, exchange.method() + " " + template.get());
    }

    /** {@code exchange} as the one response the document gives what was asked: {@code status}, described at {@code pointer}. */
    private static List<String> answeredAs(Exchange exchange, int status, String pointer, String what) {
        if (exchange.status() != status) {
            return List.of(what + " answered " + exchange.status() + " where the document gives " + status + " (" + exchange.body() + ")");
        }
        return response(exchange, pointer, what);
    }

    /** {@code exchange} against the response at {@code pointer} (or the one it refers to). */
    private static List<String> response(Exchange exchange, String pointer, String what) {
        String at = resolve(pointer);
        JsonNode response = DOCUMENT.at(at);
        String answered = what + " answered " + exchange.status();
        List<String> violations = new ArrayList<>();
        JsonNode content = response.path("content");
        if (content.isMissingNode()) {
            if (!exchange.body().isEmpty()) {
                violations.add(answered + " with a body, which the document does not give it: " + exchange.body());
            }
        } else if (!exchange.method().equals("HEAD")) {
            String mediaType = exchange.header().apply("content-type").map(type -> type.replaceFirst(";.*", "").strip()).orElse("");
            if (content.path(mediaType).isMissingNode()) {
                violations.add(answered + " as " + (mediaType.isEmpty() ? "no content type" : mediaType)
                        + ", not one of " + names(content));
            } else if (mediaType.endsWith("json")) {
                // JSON bodies against their schema; another media type (the explorer's page and files) is checked by its name only.
                schema(at + "/content/" + escape(mediaType) + "/schema").validate(exchange.body(), InputFormat.JSON)
                        .forEach(error -> violations.add(answered + " " + mediaType + ": " + error.getInstanceLocation() + " "
                                + error.getMessage() + " (body " + exchange.body() + ")"));
            }
        }
        response.path("headers").properties().forEach(header -> {
            boolean required = DOCUMENT.at(resolve(at + "/headers/" + escape(header.getKey()))).path("required").asBoolean(false);
            if (required && exchange.header().apply(header.getKey()).isEmpty()) {
                violations.add(answered + " without the header " + header.getKey() + " the document requires");
            }
        });
        return violations;
    }

    private static Schema schema(String pointer) {
        return BY_POINTER.computeIfAbsent(pointer, at -> SCHEMAS.getSchema(SchemaLocation.of(DOCUMENT_LOCATION + "#" + fragment(at))));
    }

    /** The pointer {@code pointer} names, following one {@code $ref} (a response of {@code components}). */
    private static String resolve(String pointer) {
        JsonNode ref = DOCUMENT.at(pointer).path("$ref");
        return ref.isTextual() ? ref.asText().substring(1) : pointer;
    }

    /** The documented path template {@code path} falls under ({@code /accounts/a-1} is {@code /accounts/{id}}), if any. */
    private static Optional<String> template(String path) {
        return DOCUMENT.path("paths").properties().stream()
                .map(Map.Entry::getKey)
                .filter(template -> path.matches(template.replaceAll("\\{[^}/]+}", "[^/]+")))
                .findFirst();
    }

    private static String names(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).toList().toString();
    }

    /** A JSON pointer's reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A pointer as a URI fragment: the characters a fragment may not hold, percent-encoded. */
    private static String fragment(String pointer) {
        return pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
