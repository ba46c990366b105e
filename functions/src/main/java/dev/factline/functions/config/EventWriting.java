package dev.factline.functions.config;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.personal.PersonalDataKeys;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
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
 * keys of {@code MASTER_KEY} (kept in the event table). Both writers read it here, so their commits
 * count towards the same streams' snapshots alike, and neither can write a plain personal value.
 */
public record EventWriting(EventStore store, WritePolicy policy, DataKeys keys) {

    /** Well inside API Gateway's 30 s, so a slow call fails in the function, as a 503, not at the gateway. */
    private static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(6);

    public EventWriting {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(keys, "keys");
    }

    /** Reads every setting first, so a bad one is reported before any client is built. */
    public static EventWriting fromEnvironment(Environment environment) {
        EventTable table = new EventTable(environment.get(FunctionSettings.EVENT_TABLE));
        ReadTable inlineViews = new ReadTable(environment.get(FunctionSettings.READ_TABLE));
        StoreLimits limits = storeLimits(environment);
        WritePolicy policy = writePolicy(environment);
        DynamoDbClient dynamo = environment.dynamoDb(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT);
        DataKeys keys = PersonalDataKeys.fromEnvironment(environment, dynamo, table);
        return new EventWriting(sealing(new DynamoDbEventStore(dynamo, table, inlineViews, limits, Clock.systemUTC()), keys), policy, keys);
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
