package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.topology.Topology;
import dev.factline.local.FactlineApi.Answer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The embedded pipeline's stream triggers behave as Lambda's event source mappings do, seen from
 * outside: a poison record is parked after the trigger's retries while other streams flow, and
 * each stream's events reach Kinesis in order across many batches. Its event table is the
 * deployed one's, TTL included, so idempotency claims expire locally too.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class TriggerSemanticsIT {

    private static LocalPipeline pipeline;

    @BeforeAll
    static void embedded() {
        pipeline = FactlineApi.embedded();
        // The suite talks to the embedded API here even when FACTLINE_API_URL names another.
        FactlineApi.url();
    }

    private static String openAccount(String account) {
        Answer opened = post("/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"bob\",\"currency\":\"EUR\"}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        return account;
    }

    @Test
    void a_poison_event_is_parked_after_the_retries_while_other_streams_keep_flowing() {
        StreamId poisoned = StreamId.of("account", "poison-" + UUID.randomUUID());
        DynamoDbEventStore store = new DynamoDbEventStore(pipeline.dynamo(), pipeline.topology().eventTable(), StoreLimits.defaults(),
                Clock.systemUTC());
        // A payload no codec reads: AccountOpened has no such field, and the strict mapper refuses it.
        store.append(poisoned, 0, List.of(new NewEvent(UUID.randomUUID(), "AccountOpened", 1, Instant.now(), "{\"no\":\"such field\"}",
                EventMetadata.forCommand("poison"))), null);
        String healthy = openAccount("healthy-" + UUID.randomUUID());
        Answer deposited = post("/accounts/" + healthy + "/deposits", "{\"amount\":{\"minorUnits\":42,\"currency\":\"EUR\"}}");
        assertThat(deposited.status()).isEqualTo(200);

        ParkedRecords.Parked parked = eventually(Duration.ofSeconds(30), () -> pipeline.parked().all().stream()
                .filter(batch -> batch.function().equals(Topology.PROJECTOR))
                .filter(batch -> batch.records().toString().contains(poisoned.toString()))
                .findFirst(), found -> found.isPresent()).orElseThrow();
        Answer view = eventually(Duration.ofSeconds(20), () -> get("/accounts/" + healthy),
                answer -> answer.status() == 200 && answer.json().path("version").asLong() == 2);

        int retries = pipeline.topology().triggerOf(Topology.PROJECTOR).orElseThrow().maximumRetryAttempts();
        // The projector reports the poison as the lowest failure on every attempt; as on Lambda, a partial response
        // is never bisected, so the batch from the poison on is retried whole and parked whole (the healthy records
        // in it were applied on the first attempt, which the converged view below shows).
        assertThat(parked.batchSize()).isGreaterThanOrEqualTo(1);
        assertThat(parked.attempts()).isEqualTo(retries + 1);
        assertThat(parked.condition()).isEqualTo("RetryAttemptsExhausted");
        assertThat(view.json().path("balance").path("minorUnits").asLong()).isEqualTo(42);
        assertThat(get("/_local/parked").body()).contains(poisoned.toString());
        // The publisher reads no payload: the same record reached Kinesis and was not parked there.
        assertThat(pipeline.parked().all()).noneMatch(batch -> batch.function().equals(Topology.PUBLISHER)
                && batch.records().toString().contains(poisoned.toString()));
    }

    /** The pipeline created its event table without the TTL the CDK app gives it. */
    @Test
    void the_event_table_expires_idempotency_claims_on_their_ttl_attribute_as_deployed() {
        TimeToLiveDescription ttl = pipeline.dynamo().describeTimeToLive(b -> b.tableName(pipeline.topology().eventTable().name()))
                .timeToLiveDescription();

        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(ttl.attributeName()).isEqualTo(EventTable.TTL_ATTRIBUTE);
    }

    @Test
    void each_streams_events_reach_kinesis_in_order_across_batches() throws Exception {
        List<String> accounts = List.of(openAccount("ordered-a-" + UUID.randomUUID()), openAccount("ordered-b-" + UUID.randomUUID()),
                openAccount("ordered-c-" + UUID.randomUUID()));
        long batchesBefore = pipeline.invocations(Topology.PUBLISHER);
        int deposits = 12;
        for (int round = 0; round < deposits; round++) {
            for (String account : accounts) {
                assertThat(post("/accounts/" + account + "/deposits", "{\"amount\":{\"minorUnits\":1,\"currency\":\"EUR\"}}").status())
                        .isEqualTo(200);
            }
            if (round % 4 == 3) {
                // Let the publisher's one-second batching window close, so the events span batches (a deadline, not a wait:
                // a loaded 2-core CI machine has taken over 10 s to run the next batch).
                long seen = pipeline.invocations(Topology.PUBLISHER);
                eventually(Duration.ofSeconds(30), () -> pipeline.invocations(Topology.PUBLISHER), count -> count > seen);
            }
        }

        URI kinesisEndpoint = pipeline.endpoints().get("Kinesis (kinesalite)");
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(kinesisEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            Map<String, List<Long>> versions = eventually(Duration.ofSeconds(20),
                    () -> publishedVersions(kinesis, pipeline.topology().publishedEventsStream(), accounts),
                    found -> accounts.stream().allMatch(account -> found.getOrDefault("account#" + account, List.of()).size() >= deposits + 1));
            for (String account : accounts) {
                List<Long> firstSeen = versions.get("account#" + account).stream().distinct().toList();
                assertThat(firstSeen).as(account).isSorted().hasSize(deposits + 1).startsWith(1L);
            }
        }
        assertThat(pipeline.invocations(Topology.PUBLISHER) - batchesBefore).isGreaterThanOrEqualTo(3);
    }

    /** Per stream id of {@code accounts}, the versions in the order a Kinesis consumer reads them (each shard in order). */
    private static Map<String, List<Long>> publishedVersions(KinesisClient kinesis, String stream, List<String> accounts) {
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Long>> versions = new HashMap<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current));
                for (Record record : page.records()) {
                    try {
                        JsonNode envelope = json.readTree(record.data().asByteArray());
                        String streamId = envelope.path("streamId").asText();
                        if (accounts.stream().anyMatch(account -> streamId.equals("account#" + account))) {
                            versions.computeIfAbsent(streamId, k -> new ArrayList<>()).add(envelope.path("version").asLong());
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return versions;
    }
}
