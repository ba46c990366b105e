package dev.factline.functions.config;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.personal.PersonalDataKeys;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.S3BlobStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.view.ReadTable;
import dev.factline.personal.DataKeys;
import dev.factline.personal.SealingEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How a writer of the event table (the command function, the saga) writes, as its environment
 * describes it: the DynamoDB store of {@code EVENT_TABLE}, writing inline views into
 * {@code READ_TABLE}, with the payload limit of {@code MAX_EVENT_PAYLOAD_BYTES}, and snapshots
 * every {@code SNAPSHOT_INTERVAL} events, sealing the hosted domains' personal fields with the data
 * keys of {@code MASTER_KEY} (kept in the event table), and storing payloads over the limit in
 * {@code PAYLOAD_BUCKET} by claim check ({@link #claimChecks}), sealed first. Both writers read it
 * here, so their commits count towards the same streams' snapshots alike, and neither can write a
 * plain personal value, in the table or in the bucket.
 */
public record EventWriting(EventStore store, WritePolicy policy, DataKeys keys, ClaimChecks claims) {

    /** Well inside API Gateway's 30 s, so a slow call fails in the function, as a 503, not at the gateway. */
    private static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(6);
    /** A megabyte's put or get takes well under a second in a region; a slow S3 fails as a 503, inside API Gateway's 30 s. */
    private static final Duration S3_ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration S3_CALL_TIMEOUT = Duration.ofSeconds(9);

    public EventWriting {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(claims, "claims");
    }

    /** Reads every setting first, so a bad one is reported before any client is built. */
    public static EventWriting fromEnvironment(Environment environment) {
        EventTable table = new EventTable(environment.get(FunctionSettings.EVENT_TABLE));
        ReadTable inlineViews = new ReadTable(environment.get(FunctionSettings.READ_TABLE));
        StoreLimits limits = storeLimits(environment);
        WritePolicy policy = writePolicy(environment);
        DynamoDbClient dynamo = environment.dynamoDb(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT);
        ClaimChecks claims = claimChecks(environment);
        DataKeys keys = PersonalDataKeys.fromEnvironment(environment, dynamo, table);
        DynamoDbEventStore store = new DynamoDbEventStore(dynamo, table, inlineViews, limits, Clock.systemUTC()).withClaimChecks(claims);
        return new EventWriting(sealing(store, keys), policy, keys, claims);
    }

    /**
     * The claim checks of {@code environment}: payloads over {@code MAX_EVENT_PAYLOAD_BYTES}, up to
     * {@code MAX_CLAIMED_PAYLOAD_BYTES}, in the S3 bucket {@code PAYLOAD_BUCKET}; none when it is unset.
     * Every reader of the event table reads them here too. The S3 client is built on first use.
     */
    public static ClaimChecks claimChecks(Environment environment) {
        int threshold = environment.get(FunctionSettings.MAX_EVENT_PAYLOAD_BYTES);
        int max = environment.get(FunctionSettings.MAX_CLAIMED_PAYLOAD_BYTES);
        return environment.get(FunctionSettings.PAYLOAD_BUCKET)
                .map(bucket -> ClaimChecks.in(environment.closedAtStop(new S3BlobStore(bucket,
                        () -> environment.s3(S3_ATTEMPT_TIMEOUT, S3_CALL_TIMEOUT))), threshold, max, ClaimChecks.DEFAULT_CACHE_BYTES))
                .orElse(ClaimChecks.none());
    }

    /** {@code store} sealing the personal fields every hosted domain declares with {@code keys}. */
    public static EventStore sealing(EventStore store, DataKeys keys) {
        return new SealingEventStore(store, HostedDomains.STANDARD.aggregates().stream().map(AggregateType::events).toList(), keys);
    }

    /** The store's limits, with the payload limit of {@code MAX_EVENT_PAYLOAD_BYTES}. */
    static StoreLimits storeLimits(Environment environment) {
        StoreLimits defaults = StoreLimits.defaults();
        return new StoreLimits(environment.get(FunctionSettings.MAX_EVENT_PAYLOAD_BYTES), defaults.maxCommitBytes(),
                defaults.idempotencyRetention(), defaults.readPageItems());
    }

    /** The kernel's write policy, with snapshots every {@code SNAPSHOT_INTERVAL} events (0: none). */
    static WritePolicy writePolicy(Environment environment) {
        return WritePolicy.defaults().withSnapshots(SnapshotPolicy.every(environment.get(FunctionSettings.SNAPSHOT_INTERVAL)));
    }
}
