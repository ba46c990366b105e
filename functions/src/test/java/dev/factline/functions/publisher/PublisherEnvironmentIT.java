package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalKinesis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the stream's name, a region, credentials, the SDK's own endpoint variable, and
 * {@code CBOR_ENABLED=false}, which kinesalite needs and real Kinesis does not). Nothing in the
 * handler knows it talks to an emulator.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherEnvironmentIT {

    @Test
    void a_publisher_configured_only_by_its_environment_publishes_to_the_stream_it_names(@TempDir Path directory) throws Exception {
        try (Pipeline pipeline = Pipeline.withShards(2)) {
            StreamId account = StreamId.of("account", "a-env");
            pipeline.append(account, 2);
            pipeline.append(account, 1);
            Path event = directory.resolve("event.json");
            Files.writeString(event, pipeline.deliveries.allAsOne().json(), StandardCharsets.UTF_8);
            ProcessBuilder lambda = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    ConfiguredByEnvironment.class.getName(), event.toString())
                    .redirectErrorStream(true);
            lambda.environment().putAll(Map.of(
                    "PUBLISHED_EVENTS_STREAM", pipeline.kinesisStream,
                    "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "local",
                    "AWS_SECRET_ACCESS_KEY", "local",
                    "AWS_ENDPOINT_URL_KINESIS", LocalKinesis.shared().endpoint().toString(),
                    "CBOR_ENABLED", "false",
                    "AWS_EMF_ENVIRONMENT", "Local"));

            Process process = lambda.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(output).contains("FAILURES=0").contains("\"EventsPublished\":3");
            KinesisConsumer consumer = pipeline.consumer();
            pipeline.assertPublishedAsStored(consumer, account);
        }
    }
}
