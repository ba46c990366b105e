package dev.factline.functions.publisher;

import dev.factline.functions.publisher.PublishedEnvelope.EventKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecordSink} in memory whose failures the test chooses: entries refused on chosen
 * attempts, calls that fail as a whole (with or without having stored their entries). It stores
 * each call's accepted entries in an order of its own, reversed by default, since Kinesis promises
 * no order inside a call: a publisher that relied on it would be caught here.
 *
 * <p>It keeps one log for all streams; each stream's records are in the order the sink stored
 * them, as a Kinesis shard would hold them.
 */
final class ScriptedSink implements RecordSink {

    /** Whether to refuse an entry on its n-th attempt (1-based), counted per event. */
    @FunctionalInterface
    interface Refusals {
        boolean refuse(EventKey event, int attempt);

        static Refusals none() {
            return (event, attempt) -> false;
        }
    }

    /** What becomes of a whole call (1-based call number). */
    enum CallOutcome { ANSWERED, FAILS_UNSTORED, FAILS_AFTER_STORING }

    private final List<PublishedEnvelope> stored = new ArrayList<>();
    private final List<List<EventKey>> calls = new ArrayList<>();
    private final Map<EventKey, Integer> attempts = new HashMap<>();
    private Refusals refusals = Refusals.none();
    private IntFunction<CallOutcome> callOutcomes = call -> CallOutcome.ANSWERED;
    private final @Nullable Random storeOrder;

    ScriptedSink() {
        this(null);
    }

    /** With a random order of storing each call's entries; {@code null} for reversed. */
    ScriptedSink(@Nullable Random storeOrder) {
        this.storeOrder = storeOrder;
    }

    ScriptedSink refusing(Refusals value) {
        this.refusals = value;
        return this;
    }

    ScriptedSink withCalls(IntFunction<CallOutcome> value) {
        this.callOutcomes = value;
        return this;
    }

    @Override
    public List<SinkResult> put(List<SinkRecord> records) {
        List<EventKey> keys = new ArrayList<>();
        List<PublishedEnvelope> accepted = new ArrayList<>();
        List<SinkResult> results = new ArrayList<>();
        for (SinkRecord record : records) {
            PublishedEnvelope envelope = PublishedEnvelope.parse(record.data());
            if (!envelope.streamId().equals(record.partitionKey())) {
                throw new AssertionError("partition key " + record.partitionKey() + " for an event of " + envelope.streamId());
            }
            keys.add(envelope.key());
            int attempt = attempts.merge(envelope.key(), 1, Integer::sum);
            if (refusals.refuse(envelope.key(), attempt)) {
                results.add(new Refused("ProvisionedThroughputExceededException", "Rate exceeded for shard of " + envelope.streamId()));
            } else {
                accepted.add(envelope);
                results.add(new Stored("shardId-000000000000", Integer.toString(stored.size() + accepted.size())));
            }
        }
        calls.add(keys);
        CallOutcome outcome = callOutcomes.apply(calls.size());
        if (outcome == CallOutcome.FAILS_UNSTORED) {
            throw new RecordSinkUnavailableException("call " + calls.size() + " timed out");
        }
        if (storeOrder == null) {
            Collections.reverse(accepted);
        } else {
            Collections.shuffle(accepted, storeOrder);
        }
        stored.addAll(accepted);
        if (outcome == CallOutcome.FAILS_AFTER_STORING) {
            throw new RecordSinkUnavailableException("call " + calls.size() + " timed out after storing its entries");
        }
        return results;
    }

    /** Everything stored, in the order stored. */
    List<PublishedEnvelope> stored() {
        return List.copyOf(stored);
    }

    StreamOrder order() {
        return StreamOrder.of(stored);
    }

    /** The events each call carried, in request order. */
    List<List<EventKey>> calls() {
        return List.copyOf(calls);
    }

    int attemptsOf(EventKey event) {
        return attempts.getOrDefault(event, 0);
    }
}
