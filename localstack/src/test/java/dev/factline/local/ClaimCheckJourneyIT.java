package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.catalogue.ProductEvent.ProductCreated;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.store.PayloadClaim;
import dev.factline.functions.topology.Topology;
import dev.factline.local.FactlineApi.Answer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A 1 MB payload through the running pipeline, via its s3rver: written by the command side's own
 * event writing ({@link EventWriting} from the command function's environment), read back over
 * HTTP from the history and a temporal read, and published to Kinesis as a claim its consumers
 * resolve from the bucket. No sample command takes a megabyte of text, so the event is appended
 * through the store, as the command function would append it.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ClaimCheckJourneyIT {

    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPipeline pipeline;

    @BeforeAll
    static void embedded() {
        pipeline = FactlineApi.embedded();
    }

    @Test
    void a_1_mb_payload_round_trips_through_the_bucket_to_every_reader() throws Exception {
        String productId = "p-" + UUID.randomUUID().toString().substring(0, 12);
        String name = "x".repeat(1024 * 1024);
        ProductCreated created = new ProductCreated("SKU-" + productId, name, 3);
        String payload = Products.EVENTS.encode(created).payload();
        EventWriting writing = EventWriting.fromEnvironment(Environment.of(commandEnvironment()));

        writing.store().append(StreamId.of(Products.STREAM_TYPE, productId), 0, java.util.List.of(new NewEvent(UUID.randomUUID(),
                "ProductCreated", 1, Instant.now(), payload, EventMetadata.forCommand("claim-journey-" + productId))), null);

        Answer history = get("/products/" + productId + "/events");
        assertThat(history.status()).as(history.toString().substring(0, 300)).isEqualTo(200);
        assertThat(history.json().at("/events/0/data/name").asText()).isEqualTo(name);
        Answer asOf = get("/products/" + productId + "?atVersion=1");
        assertThat(asOf.status()).isEqualTo(200);
        assertThat(asOf.json().path("name").asText()).isEqualTo(name);

        JsonNode envelope = eventually(CONVERGENCE, () -> published(productId), found -> found != null);
        assertThat(envelope.has("payload")).as("a 1 MB payload's envelope is over Kinesis's record").isFalse();
        PayloadClaim claim = PayloadClaim.of(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(envelope.at("/payloadClaim/sha256").asText()).isEqualTo(claim.sha256());
        URI uri = URI.create(envelope.at("/payloadClaim/uri").asText());
        assertThat(uri.getScheme()).isEqualTo("s3");
        try (S3Client s3 = consumerClient()) {
            byte[] blob = s3.getObjectAsBytes(b -> b.bucket(uri.getHost()).key(uri.getPath().substring(1))).asByteArray();
            assertThat(claim.verified(blob, "the consumer's envelope")).isEqualTo(payload);
        }
    }

    /** The command function's environment as the pipeline gives it, less the master key (a product has no personal data). */
    private static Map<String, String> commandEnvironment() {
        Topology topology = pipeline.topology();
        return Map.of(
                FunctionSettings.EVENT_TABLE.name(), topology.eventTable().name(),
                FunctionSettings.READ_TABLE.name(), topology.readTable().name(),
                FunctionSettings.PAYLOAD_BUCKET.name(), LocalPipeline.PAYLOAD_BUCKET,
                FunctionSettings.AWS_REGION.name(), LocalEnvironment.REGION,
                FunctionSettings.AWS_ACCESS_KEY_ID.name(), "local",
                FunctionSettings.AWS_SECRET_ACCESS_KEY.name(), "local",
                FunctionSettings.AWS_ENDPOINT_URL_DYNAMODB.name(), pipeline.endpoints().get("DynamoDB (dynalite)").toString(),
                FunctionSettings.AWS_ENDPOINT_URL_S3.name(), pipeline.endpoints().get("S3 (s3rver)").toString());
    }

    private static JsonNode published(String productId) {
        for (String record : PipelineContents.publishedRecords(pipeline)) {
            if (record.contains("\"product#" + productId + "\"")) {
                try {
                    return JSON.readTree(record);
                } catch (Exception unreadable) {
                    throw new AssertionError("an envelope that is not JSON: " + record.substring(0, 200), unreadable);
                }
            }
        }
        return null;
    }

    /** A consumer's own S3 client: path-style for the local server, the body signed whole. */
    private static S3Client consumerClient() {
        return S3Client.builder().endpointOverride(pipeline.endpoints().get("S3 (s3rver)")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }
}
