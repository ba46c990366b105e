package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.ConfiguredByEnvironment;
import dev.factline.functions.testing.LocalDynamo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the table's name, a region, credentials, and the SDK's own endpoint variable,
 * which is how the local pipeline points the function at an emulator).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionEnvironmentIT {

    @Test
    void a_function_configured_only_by_its_environment_writes_to_the_table_it_names() throws Exception {
        EventTable table = new EventTable("env-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);

        String output = ConfiguredByEnvironment.run(CommandFunction.class, APIGatewayV2HTTPEvent.class, Map.of(
                        "EVENT_TABLE", table.name(),
                        "AWS_ENDPOINT_URL_DYNAMODB", LocalDynamo.shared().endpoint().toString()),
                List.of(HttpApiEvents.post("/accounts")
                        .json("{\"accountId\":\"a-env\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}").toJson()));

        assertThat(output).contains("STATUS=201");
        var written = new DynamoDbEventStore(LocalDynamo.shared().client(), table, StoreLimits.defaults(), Clock.systemUTC())
                .load(StreamId.of("account", "a-env"));
        assertThat(written).extracting(RecordedEvent::type).containsExactly("AccountOpened");
    }
}
