package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.ConfiguredByEnvironment;
import dev.factline.functions.testing.LocalKinesis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The no-arg constructor, as Lambda runs it: a JVM of its own whose only configuration is its
 * environment (the stream's name, a region, credentials, the SDK's own endpoint variable, and
 * {@code CBOR_ENABLED=false}, which kinesalite needs and real Kinesis does not). Nothing in the
 * handler knows it talks to an emulator.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherEnvironmentIT {

    @Test
    void a_publisher_configured_only_by_its_environment_publishes_to_the_stream_it_names() throws Exception {
        try (Pipeline pipeline = Pipeline.withShards(2)) {
            StreamId account = StreamId.of("account", "a-env");
            pipeline.append(account, 2);
            pipeline.append(account, 1);

            String output = ConfiguredByEnvironment.run(PublisherFunction.class, DynamodbEvent.class, Map.of(
                            "PUBLISHED_EVENTS_STREAM", pipeline.kinesisStream,
                            "AWS_ENDPOINT_URL_KINESIS", LocalKinesis.shared().endpoint().toString(),
                            "CBOR_ENABLED", "false"),
                    List.of(pipeline.deliveries.allAsOne().json()));

            assertThat(output).contains("FAILURES=0").contains("\"EventsPublished\":3");
            KinesisConsumer consumer = pipeline.consumer();
            pipeline.assertPublishedAsStored(consumer, account);
        }
    }
}
