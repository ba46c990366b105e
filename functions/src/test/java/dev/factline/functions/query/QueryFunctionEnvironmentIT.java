package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the tables' names, the Redis URL, a region, credentials, and the SDK's own
 * endpoint variable, which is how the local pipeline points the function at an emulator).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryFunctionEnvironmentIT {

    @Test
    void a_function_configured_only_by_its_environment_reads_the_tables_and_the_redis_it_names(@TempDir Path directory) throws Exception {
        QueryFixture side = QueryFixture.create("env");
        String accountId = "a-" + UUID.randomUUID();
        side.openAccount(accountId);
        side.project(StreamId.of("account", accountId));
        side.deposit(accountId, 300);
        List<String> files = new ArrayList<>();
        for (String target : List.of("/accounts/" + accountId, "/accounts/" + accountId + "?minVersion=2", "/accounts/a-1?minVersion=0")) {
            Path event = directory.resolve("event-" + files.size() + ".json");
            Files.writeString(event, QueryEvents.get(target).toJson(), StandardCharsets.UTF_8);
            files.add(event.toString());
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                QueryConfiguredByEnvironment.class.getName()));
        command.addAll(files);
        ProcessBuilder lambda = new ProcessBuilder(command).redirectErrorStream(true);
        lambda.environment().putAll(Map.of(
                "READ_TABLE", side.readTable.name(),
                "EVENT_TABLE", side.eventTable.name(),
                "REDIS_URL", LocalRedis.shared().uri().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_ENDPOINT_URL_DYNAMODB", LocalDynamo.shared().endpoint().toString(),
                "AWS_EMF_ENVIRONMENT", "Local"));

        Process process = lambda.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).contains("STATUS=200\nETAG=\"1\"", "STATUS=200\nETAG=\"2\"", "STATUS=400");
        assertThat(LocalRedis.shared().admin().hget("factline:view:account#" + accountId, "version")).isEqualTo("2");
    }
}
