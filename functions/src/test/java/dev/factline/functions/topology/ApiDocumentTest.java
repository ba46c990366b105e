package dev.factline.functions.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountRule;
import dev.factline.catalogue.ProductRule;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.RuleViolation;
import dev.factline.eventsourcing.Uniqueness;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.http.ProblemType;
import dev.factline.order.OrderRule;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI document ({@link ApiDocument}) says what the functions do: its operations
 * are the topology's routes, its problem responses carry every {@link ProblemType} at its status,
 * and every rule a hosted domain can break is documented where a client meets it (422
 * {@code rules/<code>}, or the code of a 404 when the rule means the stream is missing), as is
 * every unique value's {@code <name>-taken} code of a 409. Each failure names what differs.
 * That the documented parameters are read is the acceptance suite's {@code ApiDocumentIT}: it
 * asks the running API.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiDocumentTest {

    private static final JsonNode DOCUMENT = parse(ApiDocument.json());
    private static final Set<String> METHODS = Set.of("get", "head", "post", "put", "patch", "delete", "options", "trace");
    /**
     * The rules each hosted stream type's decider refuses with; a hosted aggregate missing here
     * fails {@link Rules#every_hosted_aggregate_has_its_rules_listed_here}.
     */
    private static final Map<String, Class<? extends Enum<? extends RuleViolation>>> RULES_BY_STREAM_TYPE = Map.of(
            "account", AccountRule.class,
            "order", OrderRule.class,
            "product", ProductRule.class,
            "subject", NoRules.class);

    /** The subject aggregate's: it refuses nothing (forgetting is idempotent; an unknown subject is the route's 404). */
    private enum NoRules implements RuleViolation {
        ;

        @Override
        public String code() {
            throw new UnsupportedOperationException("no rules");
        }
    }

    @Test
    void reads_as_openapi_3_1_without_a_message_from_the_parser() {
        ParseOptions resolving = new ParseOptions();
        resolving.setResolve(true);
        SwaggerParseResult read = new OpenAPIV3Parser().readContents(ApiDocument.json(), null, resolving);

        assertThat(read.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(read.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
    }

    @Test
    void its_operations_are_the_routes_of_the_topology() {
        Set<String> routed = Topology.standard("factline").routes().stream()
                .filter(route -> !route.anyMethod())
                .map(ApiRoute::key)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        DOCUMENT.path("paths").properties().forEach(path -> path.getValue().properties().stream().map(Map.Entry::getKey)
                .filter(METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(difference(routed, documented)).as("routes the document does not describe").isEmpty();
        assertThat(difference(documented, routed)).as("documented operations no route serves").isEmpty();
    }

    @Nested
    class Problem_types {

        @Test
        void every_problem_type_is_documented_at_its_status() {
            for (ProblemType type : ProblemType.values()) {
                assertThat(documentedTypes(type.status())).as("problem types of the documented %d problem", type.status())
                        .contains(type.uri());
            }
        }

        @Test
        void every_documented_problem_type_is_one_the_functions_answer() {
            Set<String> known = Stream.concat(Arrays.stream(ProblemType.values()).map(ProblemType::uri),
                    hostedRules().filter(rule -> !rule.meansStreamMissing()).map(rule -> ruleUri(rule.code())))
                    .collect(Collectors.toSet());
            Set<String> documented = new TreeSet<>();
            problemSchemas().forEach(schema -> documented.addAll(texts(schema.at("/allOf/1/properties/type/enum"))));

            assertThat(difference(documented, known)).as("documented problem types nothing answers with").isEmpty();
        }

        @Test
        void every_problem_status_is_a_documented_response() {
            for (ProblemType type : ProblemType.values()) {
                assertThat(DOCUMENT.at("/components/responses/Problem" + type.status()).isObject())
                        .as("a response Problem%d for %s", type.status(), type.slug()).isTrue();
            }
        }
    }

    @Nested
    class Rules {

        @Test
        void every_hosted_aggregate_has_its_rules_listed_here() {
            assertThat(HostedDomains.STANDARD.aggregates()).extracting(AggregateType::streamType)
                    .containsExactlyInAnyOrderElementsOf(RULES_BY_STREAM_TYPE.keySet());
        }

        @Test
        void every_rule_is_a_documented_422_and_every_missing_stream_rule_a_404_code() {
            Set<String> rules422 = documentedTypes(422);
            Set<String> codes404 = texts(DOCUMENT.at("/components/schemas/Problem404/allOf/1/properties/code/enum"));
            hostedRules().forEach(rule -> {
                if (rule.meansStreamMissing()) {
                    assertThat(codes404).as("codes of the documented 404").contains(rule.code());
                } else {
                    assertThat(rules422).as("problem types of the documented 422").contains(ruleUri(rule.code()));
                }
            });
            Set<String> missing = hostedRules().filter(RuleViolation::meansStreamMissing).map(RuleViolation::code).collect(Collectors.toSet());
            assertThat(difference(codes404, missing)).as("documented 404 codes no rule has").isEmpty();
        }

        @Test
        void every_unique_value_has_its_taken_code_documented_on_the_409() {
            Set<String> taken = HostedDomains.STANDARD.aggregates().stream()
                    .flatMap(type -> HostedDomains.STANDARD.inlineModels(type).uniques().stream())
                    .map(Uniqueness::takenCode)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> documented = texts(DOCUMENT.at("/components/schemas/Problem409/allOf/1/properties/code/enum"));

            assertThat(documented).as("codes of the documented 409").isEqualTo(taken);
        }
    }

    private static Stream<RuleViolation> hostedRules() {
        return HostedDomains.STANDARD.aggregates().stream()
                .map(type -> RULES_BY_STREAM_TYPE.get(type.streamType()))
                .flatMap(rules -> Arrays.stream(rules.getEnumConstants()).map(RuleViolation.class::cast));
    }

    private static String ruleUri(String code) {
        return ProblemType.BASE_URI + "rules/" + code;
    }

    private static Set<String> documentedTypes(int status) {
        return texts(DOCUMENT.at("/components/schemas/Problem" + status + "/allOf/1/properties/type/enum"));
    }

    private static Stream<JsonNode> problemSchemas() {
        return DOCUMENT.path("components").path("schemas").properties().stream()
                .filter(schema -> schema.getKey().matches("Problem[0-9]{3}"))
                .map(Map.Entry::getValue);
    }

    private static Set<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> difference(Set<String> these, Set<String> those) {
        return these.stream().filter(name -> !those.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
