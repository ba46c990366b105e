package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.config.Environment;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import dev.factline.functions.topology.Topology;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * The local functions get exactly the deployed settings: the topology's, which the CDK stack puts
 * in each Lambda's environment as they are ({@code ServiceStackTest}), and nothing of the local
 * pipeline's own but where things are.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class LocalEnvironmentTest {

    private static final Topology TOPOLOGY = Topology.standard("factline-local");
    private static final LocalEnvironment LOCAL = new LocalEnvironment(Map.of(
            Resource.EVENT_TABLE, TOPOLOGY.eventTable().name(),
            Resource.EVENT_STREAM, "arn:aws:dynamodb:us-east-1:000000000000:table/factline-local-events/stream/1",
            Resource.READ_TABLE, TOPOLOGY.readTable().name(),
            Resource.PUBLISHED_EVENTS, TOPOLOGY.publishedEventsStream(),
            Resource.VIEW_CACHE, "redis://127.0.0.1:6379",
            Resource.MASTER_KEY, "file:/tmp/factline-local/master.key",
            Resource.PAYLOAD_BUCKET, "factline-local-payloads"),
            URI.create("http://127.0.0.1:8000"), URI.create("http://127.0.0.1:4567"), URI.create("http://127.0.0.1:4568"));
    /** What Lambda adds to every function's environment, and the endpoints LocalStack would set. */
    private static final List<String> SDK_VARIABLES = List.of("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL_S3");

    @Test
    void each_function_gets_the_settings_it_is_deployed_with_its_resources_and_the_sdk_s_variables_and_nothing_else() {
        for (FunctionSpec spec : TOPOLOGY.functions()) {
            Map<String, String> variables = LOCAL.variables(spec);

            spec.settings().forEach((name, value) -> assertThat(variables).as(spec.name()).containsEntry(name, value));
            Set<String> expected = new HashSet<>(spec.settings().keySet());
            expected.addAll(spec.environment().keySet());
            expected.addAll(SDK_VARIABLES);
            assertThat(variables.keySet()).as(spec.name()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The local query function gave up on Redis after 500 ms, where the deployed one gives up after 250 ms. */
    @Test
    void the_query_function_gives_up_on_redis_after_the_deployed_timeout() {
        Duration deployed = Environment.of(TOPOLOGY.function(Topology.QUERY).settings()).get(FunctionSettings.REDIS_TIMEOUT_MS);

        assertThat(Environment.of(LOCAL.variables(TOPOLOGY.function(Topology.QUERY))).get(FunctionSettings.REDIS_TIMEOUT_MS))
                .isEqualTo(deployed)
                .isEqualTo(Duration.ofMillis(250));
        assertThat(Environment.of(LOCAL.variables(TOPOLOGY.function(Topology.PROJECTOR))).get(FunctionSettings.REDIS_TIMEOUT_MS))
                .isEqualTo(Duration.ofMillis(500));
    }

    /** The local pipeline built its stores with the default payload limit, whatever the topology set. */
    @Test
    void a_payload_limit_the_topology_sets_reaches_the_local_function() {
        FunctionSpec command = TOPOLOGY.function(Topology.COMMAND);
        FunctionSpec limited = new FunctionSpec(command.name(), command.handler(), command.memoryMegabytes(), command.timeout(),
                command.environment(), Map.ofEntries(FunctionSettings.MAX_EVENT_PAYLOAD_BYTES.set(1024)), command.grants());

        assertThat(Environment.of(LOCAL.variables(limited)).get(FunctionSettings.MAX_EVENT_PAYLOAD_BYTES)).isEqualTo(1024);
    }

    @Test
    void the_emulators_are_the_sdk_s_endpoints() {
        Map<String, String> variables = LOCAL.variables(TOPOLOGY.function(Topology.PUBLISHER));

        assertThat(variables).containsEntry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000")
                .containsEntry("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567")
                .containsEntry("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4568")
                .containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("PUBLISHED_EVENTS_STREAM", TOPOLOGY.publishedEventsStream())
                .containsEntry("PAYLOAD_BUCKET", "factline-local-payloads");
    }

    @Test
    void a_function_wired_to_a_resource_the_pipeline_does_not_have_is_refused() {
        LocalEnvironment withoutCache = new LocalEnvironment(Map.of(Resource.EVENT_TABLE, "events", Resource.READ_TABLE, "views",
                Resource.MASTER_KEY, "file:/tmp/factline-local/master.key", Resource.PAYLOAD_BUCKET, "payloads"),
                URI.create("http://127.0.0.1:8000"), URI.create("http://127.0.0.1:4567"), URI.create("http://127.0.0.1:4568"));

        assertThatThrownBy(() -> withoutCache.variables(TOPOLOGY.function(Topology.QUERY)))
                .hasMessage("query is wired to VIEW_CACHE, which the local pipeline does not have");
    }
}
