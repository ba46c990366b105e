package dev.factline.functions.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The OpenAPI 3.1 document of the HTTP API ({@code functions/src/main/resources/openapi.json}):
 * every route of {@link Topology#standard}, its parameters, bodies, statuses and problem types.
 * Written by hand and kept in step with the routes, the problem types and the domains' rules by
 * {@code ApiDocumentTest}; the local pipeline serves it at {@value #ROUTE}.
 */
public final class ApiDocument {

    /** Where the local pipeline serves it, as its route table names routes. */
    public static final String ROUTE = "GET /openapi.json";
    private static final String RESOURCE = "/openapi.json";

    private ApiDocument() {
    }

    /** The document's JSON text. */
    public static String json() {
        try (InputStream in = Objects.requireNonNull(ApiDocument.class.getResourceAsStream(RESOURCE), "no " + RESOURCE + " on the class path")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
