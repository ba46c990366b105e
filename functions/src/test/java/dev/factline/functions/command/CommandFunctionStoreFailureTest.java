package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.eventsourcing.ForwardingEventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamTail;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.http.HttpApiEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionStoreFailureTest {

    @Test
    void an_unavailable_store_is_a_503_that_says_when_to_retry_with_the_same_key_and_is_logged() {
        List<String> log = new ArrayList<>();
        ForwardingEventStore unavailable = new ForwardingEventStore(new InMemoryEventStore()) {
            @Override
            public StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion) {
                throw new EventStoreUnavailableException("could not load " + streamId + " in DynamoDB table events: throttled",
                        new IllegalStateException("throttled"));
            }
        };
        CommandFunction function = new CommandFunction(unavailable, Clock.systemUTC(), IdGenerator.random(),
                WritePolicy.defaults().withBackoff(RetryBackoff.none()), new RequestLog(log::add));

        APIGatewayV2HTTPResponse response = function.handleRequest(HttpApiEvents.post("/accounts/a-1/deposits")
                .json("{\"amount\":{\"minorUnits\":5,\"currency\":\"EUR\"}}").event(), null);

        JsonNode problem = FunctionUnderTest.json(response);
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "2");
        assertThat(problem.path("type").asText()).isEqualTo("https://factline.dev/problems/store-unavailable");
        assertThat(problem.path("detail").asText()).contains("same Idempotency-Key").doesNotContain("throttled", "DynamoDB");
        assertThat(log).singleElement().asString().contains("\"level\":\"ERROR\"", "throttled");
    }

    @Test
    void a_snapshot_that_cannot_be_saved_is_a_warning_line_in_the_function_log_and_the_command_stands() {
        List<String> log = new ArrayList<>();
        ForwardingEventStore brokenSnapshots = new ForwardingEventStore(new InMemoryEventStore()) {
            @Override
            public void saveSnapshot(Snapshot snapshot) {
                throw new IllegalStateException("snapshot table unavailable");
            }
        };
        CommandFunction function = new CommandFunction(brokenSnapshots, Clock.systemUTC(), IdGenerator.random(),
                WritePolicy.defaults().withBackoff(RetryBackoff.none()).withSnapshots(SnapshotPolicy.every(1)), new RequestLog(log::add));

        APIGatewayV2HTTPResponse response = function.handleRequest(HttpApiEvents.post("/accounts")
                .json("{\"accountId\":\"a-1\",\"ownerId\":\"o-1\",\"currency\":\"EUR\"}").event(), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(log).hasSize(2);
        JsonNode warning = FunctionUnderTest.json(log.getFirst());
        assertThat(warning.path("level").asText()).isEqualTo("WARN");
        assertThat(warning.path("warning").asText()).isEqualTo("could not snapshot account#a-1 at version 1; loads replay further until the next one");
        assertThat(warning.path("errorMessage").asText()).isEqualTo("snapshot table unavailable");
        assertThat(log.get(1)).contains("\"level\":\"INFO\"", "\"status\":201");
    }
}
