package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.publisher.RecordSink.SinkRecord;
import dev.factline.functions.publisher.RecordSink.SinkResult;
import dev.factline.functions.publisher.RecordSink.Stored;
import dev.factline.functions.store.BlobStore;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.PayloadClaim;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** An event whose envelope outgrows a Kinesis record is published with its payload's claim, which consumers resolve. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaimedEnvelopesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records of at most 1 KiB, so that a payload of 2 KiB stands for one over Kinesis's 1 MiB. */
    private static final PublishLimits SMALL_RECORDS = new PublishLimits(500, 5L << 20, 1024);
    private static final String LARGE = "{\"description\":\"" + "x".repeat(2048) + "\"}";
    private static final String SMALL = "{\"description\":\"small\"}";

    private final List<SinkRecord> published = new ArrayList<>();
    private final RecordSink sink = records -> {
        published.addAll(records);
        return records.stream().<SinkResult>map(record -> new Stored("shardId-000000000000", "1")).toList();
    };

    private OrderedPublisher publisher(ClaimChecks claims) {
        return new OrderedPublisher(sink, SMALL_RECORDS, new PublishPolicy(3, attempt -> { }, Duration.ZERO), claims);
    }

    @Test
    void an_envelope_too_large_for_a_record_carries_the_claim_and_the_blob_s_uri_in_place_of_the_payload() throws Exception {
        ClaimChecks claims = ClaimChecks.in(new Bucket(), 64, 4096, 0);
        Batches batches = new Batches().commit(Batches.stream("large"), 2, version -> version == 1 ? LARGE : SMALL);

        PublishReport report = publisher(claims).publish(batches.build(), Deadline.none());

        assertThat(report.eventsPublished()).isEqualTo(2);
        JsonNode claimed = JSON.readTree(published.get(0).data());
        PayloadClaim claim = PayloadClaim.of(LARGE.getBytes(StandardCharsets.UTF_8));
        assertThat(claimed.has("payload")).isFalse();
        assertThat(claimed.at("/payloadClaim/sha256").asText()).isEqualTo(claim.sha256());
        assertThat(claimed.at("/payloadClaim/bytes").asLong()).isEqualTo(LARGE.getBytes(StandardCharsets.UTF_8).length);
        assertThat(claimed.at("/payloadClaim/uri").asText()).isEqualTo("s3://payloads/" + claim.key(PayloadClaim.PAYLOADS));
        assertThat(claimed.at("/version").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(published.get(1).data()).at("/payload/description").asText()).as("a payload that fits stays inline")
                .isEqualTo("small");
        for (SinkRecord record : published) {
            assertThat(PublisherEnvelopeTest.Its_contract.committed("envelope.json").validate(JSON.readTree(record.data())))
                    .as("the committed envelope contract, claimed or inline").isEmpty();
        }
        ((ObjectNode) claimed).set("payload", JSON.createObjectNode());
        assertThat(PublisherEnvelopeTest.Its_contract.committed("envelope.json").validate(claimed)).as("a payload and its claim both").isNotEmpty();
    }

    @Test
    void without_a_bucket_such_an_event_is_unpublishable_as_before() {
        Batches batches = new Batches().commit(Batches.stream("large"), 1, version -> LARGE);

        PublishReport report = publisher(ClaimChecks.none()).publish(batches.build(), Deadline.none());

        assertThat(report.eventsPublished()).isZero();
        assertThat(published).isEmpty();
        assertThat(report.retryFrom()).isPresent();
    }

    /** Where the claims point; the publisher only asks for locations. */
    private static final class Bucket implements BlobStore {
        @Override
        public void put(String key, byte[] blob) {
            throw new AssertionError("the publisher stores nothing");
        }

        @Override
        public Optional<byte[]> get(String key) {
            throw new AssertionError("the publisher fetches nothing: the stream's batch already holds the payload");
        }

        @Override
        public URI location(String key) {
            return URI.create("s3://payloads/" + key);
        }
    }
}
