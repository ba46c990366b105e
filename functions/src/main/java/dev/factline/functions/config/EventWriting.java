package dev.factline.functions.config;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.view.ReadTable;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How a writer of the event table (the command function, the saga) writes, as its environment
 * describes it: the DynamoDB store of {@code EVENT_TABLE}, writing inline views into
 * {@code READ_TABLE}, with the payload limit of {@code MAX_EVENT_PAYLOAD_BYTES}, and snapshots
 * every {@code SNAPSHOT_INTERVAL} events. Both
 * writers read it here, so their commits count towards the same streams' snapshots alike.
 */
public record EventWriting(EventStore store, WritePolicy policy) {

    /** Well inside API Gateway's 30 s, so a slow call fails in the function, as a 503, not at the gateway. */
    private static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(6);

    public EventWriting {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(policy, "policy");
    }

    /** Reads every setting first, so a bad one is reported before any client is built. */
    public static EventWriting fromEnvironment(Environment environment) {
        EventTable table = new EventTable(environment.get(FunctionSettings.EVENT_TABLE));
        ReadTable inlineViews = new ReadTable(environment.get(FunctionSettings.READ_TABLE));
        StoreLimits limits = storeLimits(environment);
        WritePolicy policy = writePolicy(environment);
        DynamoDbClient dynamo = environment.dynamoDb(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT);
        return new EventWriting(new DynamoDbEventStore(dynamo, table, inlineViews, limits, Clock.systemUTC()), policy);
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
