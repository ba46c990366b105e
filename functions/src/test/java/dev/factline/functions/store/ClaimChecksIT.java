package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.AppendTooLargeException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalS3;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.s3.S3Client;

/** Claim checks against real servers: dynalite for the event table, s3rver for the payload bucket. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaimChecksIT {

    private static final String BUCKET = "claims-it";
    private static final int THRESHOLD = 64 * 1024;
    private static final int MAX = 4 * 1024 * 1024;
    private static final int ONE_MB = 1024 * 1024;

    private static LocalS3 s3;
    private static S3Client s3Client;
    private static EventTable table;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        s3 = LocalS3.start(BUCKET);
        s3Client = s3.clientBuilder().build();
        table = new EventTable("claims-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);
        dynamo = LocalDynamo.shared().client();
    }

    @AfterAll
    static void stop() {
        s3Client.close();
        s3.close();
    }

    /** A store whose claim checks have a cache of their own: a fresh container's. */
    private static DynamoDbEventStore store(LocalS3 server) {
        return new DynamoDbEventStore(dynamo, table, StoreLimits.defaults(), Clock.systemUTC()).withClaimChecks(claims(server));
    }

    private static ClaimChecks claims(LocalS3 server) {
        return ClaimChecks.in(new S3BlobStore(BUCKET, () -> server.clientBuilder().build()), THRESHOLD, MAX, ClaimChecks.DEFAULT_CACHE_BYTES);
    }

    static NewEvent eventOfPayloadBytes(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        for (int i = 0; text.length() < bytes; i++) {
            text.append(Integer.toString(i, 36)).append(' ');
        }
        String payload = "{\"description\":\"" + text.substring(0, bytes - 18) + "\"}";
        return new NewEvent(UUID.randomUUID(), "Blob", 1, Instant.parse("2026-12-07T10:00:00Z"), payload, EventMetadata.forCommand("c-1"));
    }

    private static StreamId newStream() {
        return StreamId.of("blob", "b-" + UUID.randomUUID());
    }

    private static Map<String, AttributeValue> commitItem(StreamId stream, long firstVersion) {
        return dynamo.getItem(b -> b.tableName(table.name()).key(Items.streamKey(stream, firstVersion)).consistentRead(true)).item();
    }

    @Nested
    class A_payload_over_the_threshold {

        @Test
        void of_1_mb_round_trips_through_the_bucket_on_every_read_of_the_table() {
            StreamId stream = newStream();
            NewEvent large = eventOfPayloadBytes(ONE_MB);
            DynamoDbEventStore writer = store(s3);

            writer.append(stream, 0, List.of(large, eventOfPayloadBytes(100)), null);

            DynamoDbEventStore reader = store(s3);
            assertThat(reader.load(stream)).extracting(RecordedEvent::payload).first().isEqualTo(large.payload());
            assertThat(reader.loadAsOf(stream, Instant.parse("2026-12-08T00:00:00Z"))).first()
                    .extracting(RecordedEvent::payload).isEqualTo(large.payload());
            assertThat(reader.loadTail(stream, 1, 2).events()).first().extracting(RecordedEvent::payload).isEqualTo(large.payload());
            Map<String, AttributeValue> item = commitItem(stream, 1);
            assertThat(CommitImages.events(item, claims(s3))).hasValueSatisfying(events ->
                    assertThat(events.getFirst().payload()).isEqualTo(large.payload()));
        }

        @Test
        void is_stored_under_its_digest_and_the_commit_holds_only_the_claim() {
            StreamId stream = newStream();
            NewEvent large = eventOfPayloadBytes(THRESHOLD + 1);
            PayloadClaim claim = PayloadClaim.of(large.payload().getBytes(StandardCharsets.UTF_8));

            store(s3).append(stream, 0, List.of(large), null);

            Map<String, AttributeValue> event = commitItem(stream, 1).get(Items.EVENTS).l().getFirst().m();
            assertThat(event).doesNotContainKey("payload");
            assertThat(event.get("payloadClaim").m()).containsEntry("sha256", AttributeValue.fromS(claim.sha256()))
                    .containsEntry("bytes", AttributeValue.fromN(Long.toString(THRESHOLD + 1)));
            assertThat(s3Client.getObjectAsBytes(b -> b.bucket(BUCKET).key(claim.key(PayloadClaim.PAYLOADS))).asUtf8String()).isEqualTo(large.payload());
        }

        @Test
        void of_exactly_the_threshold_stays_in_the_commit() {
            StreamId stream = newStream();

            store(s3).append(stream, 0, List.of(eventOfPayloadBytes(THRESHOLD)), null);

            assertThat(commitItem(stream, 1).get(Items.EVENTS).l().getFirst().m()).containsKey("payload").doesNotContainKey("payloadClaim");
        }

        @Test
        void over_the_maximum_is_refused_with_413s_exception_and_nothing_is_written() {
            StreamId stream = newStream();

            assertThatThrownBy(() -> store(s3).append(stream, 0, List.of(eventOfPayloadBytes(MAX + 1)), null))
                    .isInstanceOfSatisfying(AppendTooLargeException.class, tooLarge -> {
                        assertThat(tooLarge.size()).isEqualTo(MAX + 1);
                        assertThat(tooLarge.limit()).isEqualTo(MAX);
                    });
            assertThat(store(s3).load(stream)).isEmpty();
        }

        @Test
        void of_the_maximum_is_accepted() {
            StreamId stream = newStream();
            NewEvent largest = eventOfPayloadBytes(MAX);

            store(s3).append(stream, 0, List.of(largest), null);

            assertThat(store(s3).load(stream)).singleElement().extracting(RecordedEvent::payload).isEqualTo(largest.payload());
        }

        @Test
        void of_a_repeated_keyed_command_is_answered_with_the_payload() {
            StreamId stream = newStream();
            NewEvent large = eventOfPayloadBytes(200 * 1024);
            Idempotency key = new Idempotency(new IdempotencyKey("claims-" + UUID.randomUUID()), "fingerprint");
            store(s3).append(stream, 0, List.of(large), key);

            var repeated = store(s3).append(stream, 0, List.of(eventOfPayloadBytes(200 * 1024)), key);

            assertThat(repeated).isInstanceOfSatisfying(dev.factline.eventsourcing.AppendResult.AlreadyCommitted.class, committed ->
                    assertThat(committed.events()).singleElement().extracting(RecordedEvent::payload).isEqualTo(large.payload()));
        }
    }

    @Nested
    class A_blob_that_is_not_the_payload {

        @Test
        void is_an_error_that_names_the_event_never_other_data() {
            StreamId stream = newStream();
            NewEvent large = eventOfPayloadBytes(ONE_MB);
            store(s3).append(stream, 0, List.of(eventOfPayloadBytes(100), large), null);
            PayloadClaim claim = PayloadClaim.of(large.payload().getBytes(StandardCharsets.UTF_8));
            String forged = large.payload().replace("0 1 2", "9 9 9");
            s3Client.putObject(b -> b.bucket(BUCKET).key(claim.key(PayloadClaim.PAYLOADS)), RequestBody.fromString(forged));

            assertThatThrownBy(() -> store(s3).load(stream))
                    .isInstanceOf(PayloadTamperedException.class)
                    .hasMessageContaining("event Blob at " + stream + " version 2")
                    .hasMessageContaining(claim.sha256());
            assertThatThrownBy(() -> CommitImages.events(commitItem(stream, 1), claims(s3)))
                    .isInstanceOf(PayloadTamperedException.class)
                    .hasMessageContaining("event Blob at " + stream + " version 2");
        }

        @Test
        void because_it_is_missing_is_an_error_that_names_the_event() {
            StreamId stream = newStream();
            NewEvent large = eventOfPayloadBytes(THRESHOLD + 7);
            store(s3).append(stream, 0, List.of(large), null);
            s3Client.deleteObject(b -> b.bucket(BUCKET).key(PayloadClaim.of(large.payload().getBytes(StandardCharsets.UTF_8)).key(PayloadClaim.PAYLOADS)));

            assertThatThrownBy(() -> store(s3).load(stream))
                    .isInstanceOf(PayloadTamperedException.class)
                    .hasMessageContaining("the payload of event Blob at " + stream + " version 1 is missing");
        }
    }

    @Nested
    class With_the_bucket_away {

        @Test
        void an_append_of_a_large_payload_fails_and_writes_nothing_while_small_ones_go_on() {
            StreamId stream = newStream();
            Idempotency key = new Idempotency(new IdempotencyKey("away-" + UUID.randomUUID()), "fingerprint");
            DynamoDbEventStore store;
            try (LocalS3 doomed = LocalS3.start(BUCKET)) {
                store = store(doomed);
            }

            assertThatThrownBy(() -> store.append(stream, 0, List.of(eventOfPayloadBytes(ONE_MB)), key))
                    .isInstanceOf(PayloadStoreUnavailableException.class)
                    .hasMessageContaining("s3://" + BUCKET + "/payloads/sha256/");
            assertThat(store.load(stream)).isEmpty();
            assertThat(store.findIdempotencyRecord(key.key())).isEmpty();
            assertThat(dynamo.getItem(b -> b.tableName(table.name()).key(Items.claimKey(key.key())).consistentRead(true)).hasItem()).isFalse();

            store.append(stream, 0, List.of(eventOfPayloadBytes(100)), null);
            assertThat(store.load(stream)).hasSize(1);
        }
    }

    /**
     * What a claim check saves on the write of a 300 KB payload, in DynamoDB's write units, as
     * dynalite counts them from the stored item (ReturnConsumedCapacity on a put of a copy).
     */
    @Test
    void a_300_kb_payload_costs_a_fraction_of_its_inline_write_units() {
        NewEvent event = eventOfPayloadBytes(300 * 1000);
        StreamId claimed = newStream();
        StreamId inline = newStream();
        store(s3).append(claimed, 0, List.of(event), null);
        new DynamoDbEventStore(dynamo, table, new StoreLimits(350 * 1024, 350 * 1024, Duration.ofHours(1), 100), Clock.systemUTC())
                .append(inline, 0, List.of(event), null);

        double claimedUnits = writeUnitsOf(commitItem(claimed, 1));
        double inlineUnits = writeUnitsOf(commitItem(inline, 1));

        System.out.printf("claim-checks: a 300 KB payload's commit: %.0f write units inline, %.0f with its claim%n", inlineUnits, claimedUnits);
        assertThat(inlineUnits).isGreaterThanOrEqualTo(293);
        assertThat(claimedUnits).isLessThanOrEqualTo(1);
    }

    private static double writeUnitsOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> copy = new java.util.HashMap<>(item);
        copy.put(EventTable.PARTITION_KEY, AttributeValue.fromS("measure#" + UUID.randomUUID()));
        return Optional.ofNullable(dynamo.putItem(b -> b.tableName(table.name()).item(copy).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity()).orElseThrow().capacityUnits();
    }
}
