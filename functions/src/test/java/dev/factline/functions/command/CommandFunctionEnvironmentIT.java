package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the table's name, a region, credentials, and the SDK's own endpoint variable,
 * which is how the local pipeline points the function at an emulator).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionEnvironmentIT {

    @Test
    void a_function_configured_only_by_its_environment_writes_to_the_table_it_names(@TempDir Path directory) throws Exception {
        EventTable table = new EventTable("env-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table.createTableRequest());
        Path event = directory.resolve("event.json");
        Files.writeString(event, HttpApiEvents.post("/accounts")
                .json("{\"accountId\":\"a-env\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}").toJson(), StandardCharsets.UTF_8);
        ProcessBuilder lambda = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ConfiguredByEnvironment.class.getName(), event.toString())
                .redirectErrorStream(true);
        lambda.environment().putAll(Map.of(
                "EVENT_TABLE", table.name(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_ENDPOINT_URL_DYNAMODB", LocalDynamo.shared().endpoint().toString(),
                "AWS_EMF_ENVIRONMENT", "Local"));

        Process process = lambda.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("STATUS=201");
        var written = new DynamoDbEventStore(LocalDynamo.shared().client(), table, StoreLimits.defaults(), Clock.systemUTC())
                .load(StreamId.of("account", "a-env"));
        assertThat(written).extracting(RecordedEvent::type).containsExactly("AccountOpened");
    }
}
