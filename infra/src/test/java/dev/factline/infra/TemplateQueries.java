package dev.factline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.topology.FunctionSpec;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Looks things up in a synthesized template: by what the topology says, never by generated ids. */
final class TemplateQueries {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One IAM statement: its effect, its actions, its resources and its condition ("null" for none) as template JSON. */
    record Statement(String effect, List<String> actions, List<String> resources, String condition) {
        boolean writes() {
            return actions.stream().anyMatch(action -> action.endsWith(":PutItem") || action.endsWith(":UpdateItem")
                    || action.endsWith(":DeleteItem") || action.endsWith(":BatchWriteItem"));
        }

        boolean touches(String logicalId) {
            return resources.stream().anyMatch(resource -> resource.contains(logicalId));
        }
    }

    private final Template template;

    TemplateQueries(Template template) {
        this.template = template;
    }

    /** The logical id of the only resource of {@code type} whose properties contain {@code properties}. */
    String onlyId(String type, Map<String, Object> properties) {
        Map<String, Map<String, Object>> found = template.findResources(type, Map.of("Properties", Match.objectLike(properties)));
        assertThat(found).as("%s with %s", type, properties).hasSize(1);
        return found.keySet().iterator().next();
    }

    Map<String, Object> properties(String logicalId) {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) resource(logicalId).get("Properties");
        return properties;
    }

    Map<String, Object> resource(String logicalId) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) template.toJSON().get("Resources");
        @SuppressWarnings("unchecked")
        Map<String, Object> found = (Map<String, Object>) resource.get(logicalId);
        assertThat(found).as(logicalId).isNotNull();
        return found;
    }

    /** The Lambda function deployed for {@code spec}: the one with its handler. */
    String functionId(FunctionSpec spec) {
        return onlyId("AWS::Lambda::Function", Map.of("Handler", spec.handler()));
    }

    /** The function's alias. */
    String aliasId(FunctionSpec spec) {
        return onlyId("AWS::Lambda::Alias", Map.of("FunctionName", Map.of("Ref", functionId(spec))));
    }

    /** Every statement of every policy attached to the function's role; none when it has no inline policy (the explorer's). */
    List<Statement> statementsOf(FunctionSpec spec) {
        @SuppressWarnings("unchecked")
        List<Object> role = (List<Object>) ((Map<String, Object>) properties(functionId(spec)).get("Role")).get("Fn::GetAtt");
        Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy", Map.of("Properties",
                Match.objectLike(Map.of("Roles", Match.arrayWith(List.of(Map.of("Ref", role.get(0))))))));
        return policies.values().stream().flatMap(policy -> statements(policy).stream()).toList();
    }

    /** Every statement of every IAM policy in the template. */
    List<Statement> allStatements() {
        return template.findResources("AWS::IAM::Policy").values().stream().flatMap(policy -> statements(policy).stream()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Statement> statements(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("PolicyDocument");
        return ((List<Map<String, Object>>) document.get("Statement")).stream()
                .map(statement -> new Statement((String) statement.get("Effect"), strings(statement.get("Action")),
                        list(statement.get("Resource")).stream().map(TemplateQueries::json).toList(), json(statement.get("Condition"))))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? (List<String>) list : List.of((String) value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of(value);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
