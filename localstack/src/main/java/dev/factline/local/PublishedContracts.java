package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.http.ProblemType;
import dev.factline.local.HttpFront.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event contracts for consumers, as the events-model jar carries them ({@code contracts/}):
 * {@code GET /asyncapi.json}, the AsyncAPI document of the published-events stream, and
 * {@code GET /schemas/{type}/{version}}, the JSON Schema of one version of one event type. A type
 * or version the catalogue does not hold is a 404 problem.
 */
final class PublishedContracts {

    static final String ASYNCAPI_ROUTE = "GET /asyncapi.json";
    static final String SCHEMAS_ROUTE = "GET /schemas/";

    private static final Pattern TYPE_AND_VERSION = Pattern.compile("([A-Z][A-Za-z0-9]{0,99})/([1-9][0-9]{0,8})");

    private PublishedContracts() {
    }

    static String asyncApi() {
        return new String(resource("contracts/asyncapi.json"), UTF_8);
    }

    /** The schema at {@code /schemas/} + {@code typeAndVersion}, e.g. {@code MoneyDeposited/3}. */
    static Response schema(String typeAndVersion) {
        Matcher name = TYPE_AND_VERSION.matcher(typeAndVersion);
        if (!name.matches()) {
            return notFound("/schemas/" + typeAndVersion, "schemas are served at /schemas/{EventType}/{version}, e.g. /schemas/MoneyDeposited/3");
        }
        String type = name.group(1);
        String version = name.group(2);
        if (PublishedContracts.class.getClassLoader().getResource("contracts/schemas/" + type + "/" + version + ".json") == null) {
            return notFound("/schemas/" + typeAndVersion, "the catalogue has no schema version " + version + " of an event type " + type);
        }
        return new Response(200, Map.of("content-type", "application/schema+json"), List.of(),
                resource("contracts/schemas/" + type + "/" + version + ".json"));
    }

    static Response notFound(String path, String detail) {
        byte[] problem = new ObjectMapper().createObjectNode()
                .put("type", ProblemType.NOT_FOUND.uri())
                .put("title", ProblemType.NOT_FOUND.title())
                .put("status", 404)
                .put("detail", detail)
                .put("instance", path)
                .toString().getBytes(UTF_8);
        return new Response(404, Map.of("content-type", "application/problem+json"), List.of(), problem);
    }

    private static byte[] resource(String name) {
        try (InputStream in = PublishedContracts.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path: the events-model jar carries the contracts");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
