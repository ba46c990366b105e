package dev.factline.functions.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.config.Environment;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.rebuild.RebuildFunction;
import dev.factline.functions.saga.SagaFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Every function of the topology is built by its factory from an environment made as the CDK stack
 * and the local pipeline make it: the function's settings, its resources' names, the SDK's region,
 * credentials and endpoints. Nothing here connects: clients connect on first use.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FunctionsFromEnvironmentTest {

    private static final Topology TOPOLOGY = Topology.standard("factline-test");
    private static final Map<String, Function<Environment, Object>> FACTORIES = Map.of(
            Topology.COMMAND, CommandFunction::fromEnvironment,
            Topology.QUERY, QueryFunction::fromEnvironment,
            Topology.PROJECTOR, ProjectorFunction::fromEnvironment,
            Topology.PUBLISHER, PublisherFunction::fromEnvironment,
            Topology.SAGA, SagaFunction::fromEnvironment,
            Topology.REBUILD, RebuildFunction::fromEnvironment,
            Topology.EXPLORER, ExplorerFunction::fromEnvironment);
    private static final Map<Resource, String> WHERE = Map.of(
            Resource.EVENT_TABLE, TOPOLOGY.eventTable().name(),
            Resource.READ_TABLE, TOPOLOGY.readTable().name(),
            Resource.EVENT_STREAM, "arn:aws:dynamodb:us-east-1:123456789012:table/factline-test-events/stream/1",
            Resource.PUBLISHED_EVENTS, TOPOLOGY.publishedEventsStream(),
            Resource.VIEW_CACHE, "redis://127.0.0.1:9",
            Resource.MASTER_KEY, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            Resource.PAYLOAD_BUCKET, "factline-test-payloads");

    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void every_function_of_the_topology_has_a_factory_that_builds_it_from_its_environment_and_hands_over_its_clients() {
        assertThat(FACTORIES.keySet()).containsExactlyInAnyOrderElementsOf(TOPOLOGY.functions().stream().map(FunctionSpec::name).toList());
        for (FunctionSpec spec : TOPOLOGY.functions()) {
            int before = clients.size();

            Object built = FACTORIES.get(spec.name()).apply(Environment.of(variables(spec), clients::add));

            assertThat(built.getClass().getName()).isEqualTo(spec.handler());
            if (!spec.grants().isEmpty()) {
                assertThat(clients.size()).as("clients %s handed to its host", spec.name()).isGreaterThan(before);
            } else {
                assertThat(clients.size()).as("%s reaches no resource, so builds no client", spec.name()).isEqualTo(before);
            }
        }
    }

    @Test
    void a_missing_resource_stops_the_factory_naming_the_variable() {
        for (FunctionSpec spec : TOPOLOGY.functions()) {
            for (String variable : spec.environment().keySet()) {
                if (variable.equals(FunctionSettings.REDIS_URL.name()) || variable.equals(FunctionSettings.MASTER_KEY.name())
                        || variable.equals(FunctionSettings.PAYLOAD_BUCKET.name())) {
                    // optional: without it there is no cache; without a master key no personal data is sealed or revealed;
                    // without a payload bucket no payload is claim-checked (over 64 KiB is refused)
                    continue;
                }
                Map<String, String> without = variables(spec);
                without.remove(variable);

                assertThatThrownBy(() -> FACTORIES.get(spec.name()).apply(Environment.of(without, clients::add)))
                        .as("%s without %s", spec.name(), variable)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith(variable + " is not set: the function needs ");
            }
        }
    }

    @Test
    void a_malformed_setting_stops_the_factory_naming_the_variable_and_its_value() {
        for (FunctionSpec spec : TOPOLOGY.functions()) {
            for (String variable : spec.settings().keySet()) {
                Map<String, String> malformed = variables(spec);
                malformed.put(variable, "often");

                assertThatThrownBy(() -> FACTORIES.get(spec.name()).apply(Environment.of(malformed, clients::add)))
                        .as("%s with %s=often", spec.name(), variable)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith(variable + " must be ")
                        .hasMessageEndingWith(", but is 'often'");
            }
        }
        assertThat(TOPOLOGY.functions()).flatExtracting(spec -> spec.settings().keySet()).isNotEmpty();
    }

    @Test
    void a_cache_url_that_is_no_redis_url_stops_the_query_function_naming_the_variable() {
        Map<String, String> variables = variables(TOPOLOGY.function(Topology.QUERY));
        variables.put(FunctionSettings.REDIS_URL.name(), "cache.example:6379");

        assertThatThrownBy(() -> QueryFunction.fromEnvironment(Environment.of(variables, clients::add)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("REDIS_URL must be a URL such as redis://host:6379");
    }

    private static Map<String, String> variables(FunctionSpec spec) {
        Map<String, String> variables = new HashMap<>(spec.settings());
        spec.environment().forEach((variable, resource) -> variables.put(variable, WHERE.get(resource)));
        variables.put(FunctionSettings.AWS_REGION.name(), "us-east-1");
        variables.put(FunctionSettings.AWS_ACCESS_KEY_ID.name(), "test");
        variables.put(FunctionSettings.AWS_SECRET_ACCESS_KEY.name(), "test");
        variables.put(FunctionSettings.AWS_ENDPOINT_URL.name(), "http://127.0.0.1:9");
        return variables;
    }
}
