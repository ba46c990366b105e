package dev.factline.local;

import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.topology.ApiDocument;
import dev.factline.local.FactlineApi.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document's parameters are what the API reads, asked of the API itself (any backend):
 * each read's refusal of an unknown query parameter lists the ones it takes, which must be the
 * documented ones, and each documented header changes the answer (a malformed value is a 400 that
 * names it; a correlation id comes back). The local pipeline serves the committed document.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
@ExtendWith(LocalStackTarget.class)
class ApiDocumentIT {

    private static final JsonNode DOCUMENT = parse(ApiDocument.json());
    private static final String PROBE = "undocumented-probe";
    /**
     * How each documented header shows that it is read: the request that carries a value for it,
     * and what the answer must then say. A header documented without one here fails the test.
     */
    private static final Map<String, HeaderProbe> HEADER_PROBES = Map.of(
            "If-Match", refused("If-Match", "not-a-version"),
            "Idempotency-Key", refused("Idempotency-Key", "short"),
            "Min-Version", refused("Min-Version", "not-a-version"),
            "If-None-Match", refused("If-None-Match", "not-a-tag"),
            "X-Correlation-Id", echoed("X-Correlation-Id", "probe-correlation-" + UUID.randomUUID()));

    private record HeaderProbe(String value, Consumer<Answer> expectation) {
    }

    /** A malformed value of {@code header} is a 400 whose detail names it. */
    private static HeaderProbe refused(String header, String malformed) {
        return new HeaderProbe(malformed, answer -> {
            assertThat(answer.status()).as("the answer to a malformed %s: %s", header, answer).isEqualTo(400);
            assertThat(answer.json().path("detail").asText()).as("the refusal's detail").contains(header);
        });
    }

    /** The value of {@code header} comes back in the answer's header of that name. */
    private static HeaderProbe echoed(String header, String value) {
        return new HeaderProbe(value, answer -> assertThat(answer.header(header)).as("the answer's %s", header).contains(value));
    }

    @Test
    void the_local_pipeline_serves_the_committed_document() {
        assumeTrue(FactlineApi.isEmbedded(), "only the local pipeline serves /openapi.json");
        Answer served = get("/openapi.json");

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(served.json()).isEqualTo(DOCUMENT);
    }

    @Test
    void every_read_takes_exactly_the_query_parameters_it_documents() {
        List<String> differences = new ArrayList<>();
        operations("get").forEach((path, operation) -> {
            if (path.startsWith(ExplorerFunction.PAGE)) {
                // The explorer's files are static: they ignore a query string, as a web server does (a browser's reload may add one).
                return;
            }
            Answer refused = get(concrete(path) + "?" + PROBE + "=1");
            Set<String> taken = takenParameters(refused);
            Set<String> documented = parameters(path, operation, "query");
            if (!taken.equals(documented)) {
                differences.add("GET " + path + " reads " + taken + ", documents " + documented);
            }
        });
        assertThat(differences).isEmpty();
    }

    @Test
    void every_documented_header_is_read() {
        List<String> unprobed = new ArrayList<>();
        for (String method : List.of("get", "post")) {
            operations(method).forEach((path, operation) -> {
                for (String header : parameters(path, operation, "header")) {
                    HeaderProbe probe = HEADER_PROBES.get(header);
                    if (probe == null) {
                        unprobed.add(header);
                        continue;
                    }
                    Answer answer = method.equals("get")
                            ? get(concrete(path), header, probe.value())
                            : post(concrete(path), "{}", header, probe.value());
                    probe.expectation().accept(answer);
                }
            });
        }
        assertThat(unprobed).as("documented headers this test has no probe for").isEmpty();
    }

    /** The names a 400 for an unknown query parameter says the resource takes ({@code QueryString.allowOnly}'s wording). */
    private static Set<String> takenParameters(Answer refused) {
        assertThat(refused.status()).as("the answer to an unknown query parameter: %s", refused).isEqualTo(400);
        String detail = refused.json().path("detail").asText();
        if (detail.contains("takes no query parameters")) {
            return Set.of();
        }
        String listed = detail.replaceFirst("(?s).*this resource takes (.*) \\(names are case-sensitive\\)", "$1");
        return Arrays.stream(listed.split(", ")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, JsonNode> operations(String method) {
        Map<String, JsonNode> operations = new TreeMap<>();
        DOCUMENT.path("paths").properties().forEach(path -> {
            JsonNode operation = path.getValue().path(method);
            if (!operation.isMissingNode()) {
                operations.put(path.getKey(), operation);
            }
        });
        return operations;
    }

    /** The names of the parameters {@code in} the query or the headers that the path item and the operation declare. */
    private static Set<String> parameters(String path, JsonNode operation, String in) {
        Set<String> names = new TreeSet<>();
        for (JsonNode declared : List.of(DOCUMENT.path("paths").path(path).path("parameters"), operation.path("parameters"))) {
            StreamSupport.stream(declared.spliterator(), false)
                    .map(parameter -> parameter.has("$ref") ? DOCUMENT.at(parameter.get("$ref").asText().substring(1)) : parameter)
                    .filter(parameter -> parameter.path("in").asText().equals(in))
                    .forEach(parameter -> names.add(parameter.path("name").asText()));
        }
        return names;
    }

    /** {@code /accounts/{id}} as a path a request can take, naming a stream no test writes. */
    private static String concrete(String template) {
        return template.replace("{id}", "probe-" + UUID.randomUUID().toString().substring(0, 8)).replace("{proxy+}", "index.html");
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
