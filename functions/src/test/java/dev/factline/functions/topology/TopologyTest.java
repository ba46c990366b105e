package dev.factline.functions.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.saga.SagaFunction;
import dev.factline.functions.query.QuerySettings;
import dev.factline.functions.view.ViewCache;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopologyTest {

    private static final Topology TOPOLOGY = Topology.standard("factline-test");

    @Test
    void the_api_sends_the_command_function_exactly_the_routes_it_answers() {
        CommandFunction command = new CommandFunction(new InMemoryEventStore(), Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());

        assertThat(methodRoutesTo(Topology.COMMAND)).containsExactlyInAnyOrderElementsOf(command.routeKeys());
    }

    @Test
    void the_api_sends_the_query_function_exactly_the_routes_it_answers() {
        // A client that is never called: building the function's routes reads nothing.
        try (DynamoDbClient unused = DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            QueryFunction query = new QueryFunction(unused, QuerySettings.of(TOPOLOGY.readTable(), TOPOLOGY.eventTable()), ViewCache.none(), Clock.systemUTC());

            assertThat(methodRoutesTo(Topology.QUERY)).containsExactlyInAnyOrderElementsOf(query.routeKeys());
        }
    }

    @Test
    void the_api_sends_the_explorer_function_exactly_the_routes_it_answers_and_it_is_given_nothing_to_read() {
        assertThat(methodRoutesTo(Topology.EXPLORER)).containsExactlyInAnyOrderElementsOf(new ExplorerFunction().routeKeys());
        FunctionSpec explorer = TOPOLOGY.function(Topology.EXPLORER);
        assertThat(explorer.grants()).as("what the page's own function may reach").isEmpty();
        assertThat(explorer.environment()).isEmpty();
    }

    private static List<String> methodRoutesTo(String function) {
        return TOPOLOGY.routesTo(function).stream().filter(route -> !route.anyMethod()).map(ApiRoute::key).toList();
    }

    @Test
    void every_path_sends_its_other_methods_to_the_function_that_owns_it() {
        Map<String, String> owners = new HashMap<>();
        TOPOLOGY.routes().stream().filter(route -> !route.anyMethod()).forEach(route -> owners.put(route.path(), route.function()));

        assertThat(TOPOLOGY.routes().stream().filter(ApiRoute::anyMethod).collect(Collectors.toMap(ApiRoute::path, ApiRoute::function)))
                .isEqualTo(owners);
    }

    @Test
    void a_put_on_a_command_path_reaches_the_command_function_which_answers_405_with_allow() {
        CommandFunction command = new CommandFunction(new InMemoryEventStore(), Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
        List<ApiRoute> otherMethods = TOPOLOGY.routesTo(Topology.COMMAND).stream().filter(ApiRoute::anyMethod).toList();

        assertThat(otherMethods).isNotEmpty().allSatisfy(any -> {
            APIGatewayV2HTTPResponse answer = command.handleRequest(HttpApiEvents.request("PUT", any.path().replace("{id}", "a-1")).event(), null);
            assertThat(answer.getStatusCode()).isEqualTo(405);
            assertThat(answer.getHeaders()).containsEntry("Allow", any.path().equals(CommandFunction.FORGET_PATH) ? "DELETE" : "POST");
        });
    }

    @Test
    void a_path_routed_to_two_functions_is_refused() {
        FunctionSpec other = new FunctionSpec("other", "x.Handler", 512, Duration.ofSeconds(5), Map.of(), Map.of(), Map.of());
        assertThatThrownBy(() -> new Topology(TOPOLOGY.eventTable(), TOPOLOGY.readTable(), "s", List.of(TOPOLOGY.function(Topology.QUERY), other),
                List.of(new ApiRoute("GET", "/x", Topology.QUERY), new ApiRoute("POST", "/x", "other")), List.of()))
                .hasMessage("path /x is routed to query and to other; one function must own all of a path's routes");
    }

    @Test
    void every_handler_is_one_lambda_can_construct_and_each_triggered_function_answers_with_its_failed_records() throws Exception {
        for (FunctionSpec function : TOPOLOGY.functions()) {
            Class<?> handler = Class.forName(function.handler());
            assertThat(RequestHandler.class.isAssignableFrom(handler) || RequestStreamHandler.class.isAssignableFrom(handler))
                    .as("%s is a handler Lambda's runtime can invoke", function.name()).isTrue();
            assertThat(handler.getConstructors()).as("%s's public constructors", function.name())
                    .anySatisfy(constructor -> assertThat(constructor.getParameterCount()).isZero());
        }
        assertThat(TOPOLOGY.triggers()).extracting(StreamTrigger::function).containsExactlyInAnyOrder(Topology.PROJECTOR, Topology.PUBLISHER, Topology.SAGA);
        assertThat(TOPOLOGY.triggers()).allSatisfy(trigger -> {
            Class<?> handler = Class.forName(TOPOLOGY.function(trigger.function()).handler());
            assertThat(handler.getMethod("handleRequest", DynamodbEvent.class, Context.class).getReturnType())
                    .as("what %s answers a stream batch with", trigger.function()).isEqualTo(StreamsEventResponse.class);
            assertThat(trigger.filterPattern()).isEqualTo(Topology.COMMITS_ONLY);
            assertThat(trigger.bisectBatchOnError()).isTrue();
            assertThat(trigger.maximumRetryAttempts()).isBetween(1, 10);
            assertThat(TOPOLOGY.function(trigger.function()).grants()).containsEntry(Resource.EVENT_STREAM, Access.READ);
        });
    }

    @Test
    void only_the_command_and_saga_functions_append_to_the_event_table_none_may_change_it_only_the_rebuild_scans_it_and_only_the_projector_and_the_rebuild_write_the_read_table() {
        assertThat(TOPOLOGY.functions()).filteredOn(function -> function.grants().get(Resource.EVENT_TABLE) == Access.APPEND)
                .extracting(FunctionSpec::name).containsExactlyInAnyOrder(Topology.COMMAND, Topology.SAGA);
        assertThat(TOPOLOGY.functions()).noneMatch(function -> function.grants().get(Resource.EVENT_TABLE) == Access.READ_WRITE);
        assertThat(TOPOLOGY.functions()).filteredOn(function -> function.grants().get(Resource.READ_TABLE) == Access.READ_WRITE)
                .extracting(FunctionSpec::name).containsExactlyInAnyOrder(Topology.PROJECTOR, Topology.REBUILD);
        assertThat(TOPOLOGY.functions()).filteredOn(function -> function.grants().get(Resource.EVENT_TABLE) == Access.SCAN)
                .extracting(FunctionSpec::name).containsExactly(Topology.REBUILD);
        assertThat(TOPOLOGY.function(Topology.REBUILD).grants()).as("no stream, no Kinesis, no cache")
                .containsOnlyKeys(Resource.EVENT_TABLE, Resource.READ_TABLE, Resource.PAYLOAD_BUCKET);
    }

    @Test
    void every_function_that_reads_the_event_table_or_its_stream_reads_the_payload_bucket_and_only_its_writers_put_into_it() {
        List<FunctionSpec> readers = TOPOLOGY.functions().stream()
                .filter(function -> function.grants().containsKey(Resource.EVENT_TABLE) || function.grants().containsKey(Resource.EVENT_STREAM))
                .toList();
        assertThat(readers).hasSize(TOPOLOGY.functions().size() - 1).noneMatch(function -> function.name().equals(Topology.EXPLORER));
        for (FunctionSpec function : readers) {
            Access events = function.grants().get(Resource.EVENT_TABLE);
            assertThat(function.grants()).as(function.name())
                    .containsEntry(Resource.PAYLOAD_BUCKET, events == Access.APPEND ? Access.APPEND : Access.READ);
            assertThat(function.environment()).as(function.name()).containsEntry("PAYLOAD_BUCKET", Resource.PAYLOAD_BUCKET);
        }
    }

    @Test
    void the_saga_function_reads_the_event_stream_and_writes_the_event_table_its_inline_views_and_snapshots_like_the_command_function() {
        FunctionSpec saga = TOPOLOGY.function(Topology.SAGA);
        FunctionSpec command = TOPOLOGY.function(Topology.COMMAND);

        assertThat(saga.handler()).isEqualTo(SagaFunction.class.getName());
        assertThat(saga.grants()).containsOnly(entry(Resource.EVENT_TABLE, Access.APPEND), entry(Resource.EVENT_STREAM, Access.READ),
                entry(Resource.READ_TABLE, Access.INLINE_VIEWS), entry(Resource.PAYLOAD_BUCKET, Access.APPEND));
        // The command function alone holds the master key: the saga's commands carry no personal data.
        assertThat(saga.environment()).isEqualTo(withoutMasterKey(command.environment()));
        assertThat(command.grants()).containsOnly(entry(Resource.EVENT_TABLE, Access.APPEND), entry(Resource.READ_TABLE, Access.INLINE_VIEWS),
                entry(Resource.MASTER_KEY, Access.ENCRYPT), entry(Resource.PAYLOAD_BUCKET, Access.APPEND));
        assertThat(saga.settings()).isEqualTo(TOPOLOGY.function(Topology.COMMAND).settings());
        assertThat(TOPOLOGY.triggerOf(Topology.SAGA)).hasValueSatisfying(trigger -> {
            assertThat(trigger.maximumBatchingWindow()).isZero();
            assertThat(trigger.batchSize()).isLessThanOrEqualTo(100);
        });
        assertThat(TOPOLOGY.routesTo(Topology.SAGA)).isEmpty();
    }

    @Test
    void a_function_given_a_resource_it_may_not_use_is_refused() {
        assertThatThrownBy(() -> new FunctionSpec("f", "x.Handler", 512, Duration.ofSeconds(5),
                Map.of("READ_TABLE", Resource.READ_TABLE), Map.of(), Map.of()))
                .hasMessage("f is given READ_TABLE in its environment but no access to it");
    }

    @Test
    void a_reserved_concurrency_below_one_is_refused() {
        FunctionSpec spec = new FunctionSpec("f", "x.Handler", 512, Duration.ofSeconds(5), Map.of(), Map.of(), Map.of());
        assertThat(spec.reservedConcurrency()).isEmpty();
        assertThat(spec.withReservedConcurrency(3).reservedConcurrency()).hasValue(3);
        assertThatThrownBy(() -> spec.withReservedConcurrency(0)).hasMessage("f: reserved concurrency is at least 1, not 0");
    }

    /** A misspelt variable was set on the function and never read; a payload limit it would refuse failed only at its start. */
    @Test
    void a_setting_no_function_reads_or_a_value_it_would_refuse_is_refused_where_the_topology_declares_it() {
        assertThatThrownBy(() -> new FunctionSpec("f", "x.Handler", 512, Duration.ofSeconds(5), Map.of(),
                Map.of("MAX_PAYLOAD_BYTES", "1024"), Map.of()))
                .hasMessage("f is given MAX_PAYLOAD_BYTES, which no function reads (FunctionSettings declares every variable a function reads)");
        assertThatThrownBy(() -> new FunctionSpec("f", "x.Handler", 512, Duration.ofSeconds(5), Map.of(),
                Map.of("MAX_EVENT_PAYLOAD_BYTES", "1 MiB"), Map.of()))
                .hasMessage("MAX_EVENT_PAYLOAD_BYTES must be a whole number from 1 to 358400, but is '1 MiB'");
    }

    @Test
    void the_query_and_the_projector_give_up_on_redis_after_their_own_timeouts() {
        assertThat(TOPOLOGY.function(Topology.QUERY).settings()).containsEntry("REDIS_TIMEOUT_MS", "250");
        assertThat(TOPOLOGY.function(Topology.PROJECTOR).settings()).containsEntry("REDIS_TIMEOUT_MS", "500");
    }

    @Test
    void a_route_or_trigger_to_an_undeclared_function_is_refused() {
        assertThatThrownBy(() -> new Topology(TOPOLOGY.eventTable(), TOPOLOGY.readTable(), "s", List.of(),
                List.of(new ApiRoute("GET", "/x", "ghost")), List.of()))
                .hasMessage("route GET /x names function ghost, which the topology does not declare");
    }

    @Test
    void trigger_settings_outside_lambda_s_limits_are_refused() {
        assertThatThrownBy(() -> new StreamTrigger("p", 10_001, Duration.ZERO, "{}", true, 1, Duration.ofHours(1), 1))
                .hasMessage("p: batch size is 1-10000, not 10001");
        assertThatThrownBy(() -> new StreamTrigger("p", 10, Duration.ZERO, "{}", true, 1, Duration.ofSeconds(10), 1))
                .hasMessageContaining("maximum record age is 60 s to 7 days");
    }

    private static Map<String, Resource> withoutMasterKey(Map<String, Resource> environment) {
        Map<String, Resource> rest = new HashMap<>(environment);
        rest.remove(FunctionSettings.MASTER_KEY.name());
        return rest;
    }
}
