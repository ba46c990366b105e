package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The stream samples of {@code samples/events} against the code that writes and reads them: the
 * DynamoDB Streams sample is the record the store writes for the HTTP sample's command (so a change
 * of the event table's item layout fails here, asking for the sample to be refreshed), and the
 * Kinesis sample is what the publisher publishes for it, as a downstream consumer receives it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SampleStreamEventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The sample's moment; with predictable ids, it makes the stored item the same on every run. */
    private static final Instant WRITTEN_AT = Instant.parse("2026-03-01T10:00:00Z");
    /** What differs from one stream, table or run to the next; the sample holds readable fixed values. */
    private static final List<String> PER_RECORD = List.of("eventID", "awsRegion", "eventSourceARN");
    private static final List<String> PER_RECORD_CHANGE = List.of("ApproximateCreationDateTime", "SequenceNumber", "SizeBytes");

    @Test
    void the_streams_sample_is_the_record_the_store_writes_for_the_http_sample() {
        try (Pipeline pipeline = Pipeline.withShards(1)) {
            AtomicLong ids = new AtomicLong();
            IdGenerator predictable = () -> new UUID(0x5A3B_1E00L, ids.incrementAndGet());
            DynamoDbEventStore store = new DynamoDbEventStore(LocalDynamo.shared().client(), pipeline.table, StoreLimits.defaults(),
                    InstantSource.fixed(WRITTEN_AT));
            CommandFunction commands = new CommandFunction(store, InstantSource.fixed(WRITTEN_AT), predictable, WritePolicy.defaults());
            APIGatewayV2HTTPResponse opened = commands.handleRequest(SampleEvents.http(SampleEvents.HTTP_POST_ACCOUNTS), null);
            assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);

            JsonNode sample = tree(SampleEvents.json(SampleEvents.DYNAMODB_COMMIT)).path("Records");
            JsonNode written = tree(pipeline.deliveries.allAsOne().json()).path("Records");

            assertThat(written).as("records the command wrote").hasSize(1);
            assertThat(sample).as("records in the sample").hasSize(1);
            JsonNode stored = withSampleIdentity((ObjectNode) written.get(0), sample.get(0));
            assertThat(stored).as("samples/events/%s no longer matches the commit item the store writes for samples/events/%s:"
                    + " the event table's item layout changed. Refresh the sample: replace its record with\n%s\n",
                    SampleEvents.DYNAMODB_COMMIT, SampleEvents.HTTP_POST_ACCOUNTS, pretty(stored)).isEqualTo(sample.get(0));
        }
    }

    @Test
    void the_kinesis_sample_is_what_the_publisher_publishes_for_the_streams_sample() {
        try (Pipeline pipeline = Pipeline.withShards(1)) {
            PublisherFunction publisher = pipeline.publisher();

            assertThat(publisher.handleRequest(SampleEvents.dynamodb(SampleEvents.DYNAMODB_COMMIT), null).getBatchItemFailures()).isEmpty();

            List<PublishedEnvelope> published = pipeline.consumer().all();
            List<KinesisEvent.KinesisEventRecord> sample = SampleEvents.kinesis(SampleEvents.KINESIS_PUBLISHED).getRecords();
            assertThat(sample).as("records in samples/events/%s", SampleEvents.KINESIS_PUBLISHED).hasSameSizeAs(published);
            for (int i = 0; i < published.size(); i++) {
                KinesisEvent.Record record = sample.get(i).getKinesis();
                JsonNode envelope = tree(StandardCharsets.UTF_8.decode(record.getData()).toString());
                assertThat(envelope).as("the envelope in samples/events/%s (base64 data of record %s); the publisher now writes\n%s\n",
                        SampleEvents.KINESIS_PUBLISHED, i, pretty(published.get(i).json())).isEqualTo(published.get(i).json());
                assertThat(record.getPartitionKey()).isEqualTo(published.get(i).streamId());
            }
        }
    }

    /** {@code record} with the values that name this run's table, stream and moment replaced by the sample's. */
    private static JsonNode withSampleIdentity(ObjectNode record, JsonNode sample) {
        ObjectNode copy = record.deepCopy();
        PER_RECORD.forEach(field -> copy.set(field, sample.get(field)));
        ObjectNode change = (ObjectNode) copy.get("dynamodb");
        PER_RECORD_CHANGE.forEach(field -> change.set(field, sample.path("dynamodb").get(field)));
        return copy;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(JsonNode json) {
        return json.toPrettyString();
    }
}
