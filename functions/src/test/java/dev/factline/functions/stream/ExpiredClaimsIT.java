package dev.factline.functions.stream;

import dev.factline.functions.store.ClaimChecks;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.projector.ProjectorMetrics;
import dev.factline.functions.publisher.PublishLimits;
import dev.factline.functions.publisher.PublishPolicy;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.publisher.PublisherMetrics;
import dev.factline.functions.publisher.RecordSink.SinkRecord;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An idempotency claim past its retention, end to end on a local server whose TTL sweeper runs
 * every few milliseconds: DynamoDB's TTL deletes it (the event table has TTL on the claims'
 * expiry, as deployed), the key is then forgotten, and the deletion's stream record, TTL's REMOVE,
 * is passed over by the functions on the stream.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExpiredClaimsIT {

    private static final Duration SWEPT_WITHIN = Duration.ofSeconds(10);
    /** A clock a minute further back than the retention: every claim it writes has expired. */
    private static final InstantSource LONG_AGO =
            InstantSource.fixed(Instant.now().minus(StoreLimits.defaults().idempotencyRetention()).minusSeconds(60));

    private static final EventTable TABLE = new EventTable("expired-claims-" + UUID.randomUUID());
    private static final StreamId STREAM = StreamId.of("tally", "t-" + UUID.randomUUID());
    private static final Idempotency KEY = new Idempotency(new IdempotencyKey("key-" + UUID.randomUUID()), "the same request");

    private static LocalDynamo dynamo;
    private static DynamoDbEventStore store;

    @BeforeAll
    static void commit_a_keyed_append_whose_claim_has_expired_and_wait_for_the_sweep() throws InterruptedException {
        dynamo = LocalDynamo.start(Duration.ofMillis(20));
        dynamo.createTable(TABLE);
        store = new DynamoDbEventStore(dynamo.client(), TABLE, StoreLimits.defaults(), LONG_AGO);
        assertThat(store.append(STREAM, 0, List.of(added()), KEY)).isInstanceOf(AppendResult.Appended.class);

        long deadline = System.nanoTime() + SWEPT_WITHIN.toNanos();
        while (store.findIdempotencyRecord(KEY.key()).isPresent()) {
            assertThat(System.nanoTime() - deadline).as("the claim swept within %s", SWEPT_WITHIN).isNegative();
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void its_key_is_forgotten_so_the_same_request_commits_again() {
        AppendResult again = store.append(STREAM, 1, List.of(added()), KEY);

        assertThat(again).isInstanceOf(AppendResult.Appended.class);
        assertThat(store.load(STREAM)).hasSize(2);
    }

    @Test
    void its_deletion_is_on_the_stream_as_ttl_s_removal_and_the_projector_and_the_publisher_pass_it_over() {
        List<DynamodbStreamRecord> removals;
        try (StreamTap tap = StreamTap.atStart(dynamo, TABLE.name())) {
            removals = tap.drainAll().getRecords().stream().filter(record -> "REMOVE".equals(record.getEventName())).toList();
        }
        assertThat(removals).isNotEmpty().allSatisfy(removal -> {
            assertThat(removal.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS()).isEqualTo("idempotency#" + KEY.key().value());
            assertThat(removal.getUserIdentity().getType()).isEqualTo("Service");
            assertThat(removal.getUserIdentity().getPrincipalId()).isEqualTo("dynamodb.amazonaws.com");
        });
        DynamodbEvent batch = StreamTap.withRecords(removals);

        ChangeBatch changes = ChangeBatch.of(batch, ClaimChecks.none());
        assertThat(changes.commits()).isEmpty();
        assertThat(changes.unreadable()).isEmpty();
        assertThat(changes.passedOver()).isEqualTo(removals.size());

        ReadTable views = new ReadTable("expired-claims-views-" + UUID.randomUUID());
        dynamo.createTable(views.createTableRequest());
        ProjectorFunction projector = new ProjectorFunction(dynamo.client(), views, TABLE, ViewCache.none(), Clock.systemUTC(),
                ProjectorMetrics.none());
        assertThat(projector.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        assertThat(dynamo.client().scan(b -> b.tableName(views.name())).count()).as("views written").isZero();

        List<SinkRecord> published = new CopyOnWriteArrayList<>();
        PublisherFunction publisher = new PublisherFunction(records -> {
            published.addAll(records);
            return List.of();
        }, PublishLimits.kinesis(), PublishPolicy.defaults(Duration.ZERO), Clock.systemUTC(), PublisherMetrics.none());
        assertThat(publisher.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        assertThat(published).isEmpty();
    }

    private static NewEvent added() {
        return new NewEvent(UUID.randomUUID(), "Added", 1, Instant.EPOCH, "{\"amount\":1}", EventMetadata.forCommand("c-" + UUID.randomUUID()));
    }
}
