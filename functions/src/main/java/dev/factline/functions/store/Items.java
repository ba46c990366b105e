package dev.factline.functions.store;

import static dev.factline.functions.store.EventTable.KIND;
import static dev.factline.functions.store.EventTable.PARTITION_KEY;
import static dev.factline.functions.store.EventTable.SORT_KEY;

import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.InlineWrite;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The attribute layout of the event table's items, in one place: how a commit, a snapshot, an
 * idempotency claim and a unique value's claim are written and read back.
 */
final class Items {

    static final String LAST_VERSION = "lastVersion";
    static final String EVENTS = "events";
    static final String IDEMPOTENCY_KEY = "idempotencyKey";
    static final String SNAPSHOT_VERSION = "version";
    static final String SCHEMA_VERSION = "schemaVersion";
    static final String STATE = "state";
    static final String FINGERPRINT = "fingerprint";
    static final String STREAM = "streamId";
    static final String EXPECTED_VERSION = "expectedVersion";
    static final String CLAIMED_AT = "claimedAt";
    /** On a claim: the command decided nothing, so no commit item exists to prove it. */
    static final String DECIDED_NOTHING = "decidedNothing";

    private static final String EVENT_ID = "id";
    private static final String TYPE = "type";
    private static final String OCCURRED_AT = "occurredAt";
    private static final String PAYLOAD = "payload";
    /** In place of {@code payload}, a claim-checked payload's claim: {@code sha256} and {@code bytes}. */
    private static final String PAYLOAD_CLAIM = "payloadClaim";
    private static final String COMMAND_ID = "commandId";
    private static final String CORRELATION_ID = "correlationId";
    private static final String CAUSATION_ID = "causationId";

    private static final String CLAIM_PREFIX = "idempotency#";
    private static final String UNIQUE_PREFIX = "unique#";

    private Items() {
    }

    static Map<String, AttributeValue> streamKey(StreamId streamId, long version) {
        return Map.of(PARTITION_KEY, s(streamId.toString()), SORT_KEY, n(version));
    }

    static Map<String, AttributeValue> claimKey(IdempotencyKey key) {
        return Map.of(PARTITION_KEY, s(CLAIM_PREFIX + key.value()), SORT_KEY, n(0));
    }

    /** A unique value's claim, at {@code ("unique#" + <stream type>/<name>/<value>, 0)}, naming the stream that holds it; kept for good (no TTL). */
    static Map<String, AttributeValue> uniqueClaim(InlineWrite.Claim claim) {
        Map<String, AttributeValue> item = new HashMap<>(uniqueClaimKey(claim));
        item.put(KIND, s(EventTable.UNIQUE));
        item.put(STREAM, s(claim.owner().toString()));
        return item;
    }

    static Map<String, AttributeValue> uniqueClaimKey(InlineWrite.Claim claim) {
        return Map.of(PARTITION_KEY, s(UNIQUE_PREFIX + claim.key()), SORT_KEY, n(0));
    }

    /** The sort key of a snapshot at {@code version}: between that version's commit and the next. */
    static AttributeValue snapshotSortKey(long version) {
        return AttributeValue.fromN(version + ".5");
    }

    /** A commit of {@code events}, each of those {@code claimed} names (by event id) holding its claim in place of its payload. */
    static Map<String, AttributeValue> commit(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable IdempotencyKey key,
            Map<UUID, PayloadClaim> claimed) {
        List<AttributeValue> encoded = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            Map<String, AttributeValue> attributes = new HashMap<>();
            attributes.put(EVENT_ID, s(event.eventId().toString()));
            attributes.put(TYPE, s(event.type()));
            attributes.put(SCHEMA_VERSION, n(event.schemaVersion()));
            attributes.put(OCCURRED_AT, s(event.occurredAt().toString()));
            PayloadClaim claim = claimed.get(event.eventId());
            if (claim == null) {
                attributes.put(PAYLOAD, s(event.payload()));
            } else {
                attributes.put(PAYLOAD_CLAIM, claim.attribute());
            }
            attributes.put(COMMAND_ID, s(event.metadata().commandId()));
            attributes.put(CORRELATION_ID, s(event.metadata().correlationId()));
            if (event.metadata().causationId() != null) {
                attributes.put(CAUSATION_ID, s(event.metadata().causationId()));
            }
            encoded.add(AttributeValue.fromM(attributes));
        }
        Map<String, AttributeValue> item = new HashMap<>(streamKey(streamId, expectedVersion + 1));
        item.put(KIND, s(EventTable.COMMIT));
        item.put(LAST_VERSION, n(expectedVersion + events.size()));
        item.put(EVENTS, AttributeValue.fromL(encoded));
        if (key != null) {
            item.put(IDEMPOTENCY_KEY, s(key.value()));
        }
        return item;
    }

    static boolean isCommit(Map<String, AttributeValue> item) {
        return EventTable.COMMIT.equals(string(item, KIND));
    }

    static boolean isSnapshot(Map<String, AttributeValue> item) {
        return EventTable.SNAPSHOT.equals(string(item, KIND));
    }

    static long firstVersion(Map<String, AttributeValue> commit) {
        return number(commit, SORT_KEY);
    }

    static long lastVersion(Map<String, AttributeValue> commit) {
        return number(commit, LAST_VERSION);
    }

    /** The events of a commit item, in version order, claim-checked payloads resolved by {@code claims}. */
    static List<RecordedEvent> events(Map<String, AttributeValue> commit, ClaimChecks claims) {
        StreamId streamId = StreamId.parse(string(commit, PARTITION_KEY));
        long version = firstVersion(commit);
        List<RecordedEvent> events = new ArrayList<>();
        for (AttributeValue value : list(commit, EVENTS)) {
            Map<String, AttributeValue> event = value.m();
            AttributeValue causation = event.get(CAUSATION_ID);
            String type = string(event, TYPE);
            long at = version++;
            events.add(new RecordedEvent(
                    UUID.fromString(string(event, EVENT_ID)),
                    streamId,
                    at,
                    type,
                    (int) number(event, SCHEMA_VERSION),
                    Instant.parse(string(event, OCCURRED_AT)),
                    payload(event, claims, () -> "event " + type + " at " + streamId + " version " + at),
                    new EventMetadata(string(event, COMMAND_ID), string(event, CORRELATION_ID), causation == null ? null : causation.s())));
        }
        return events;
    }

    /** An event's payload: its own, or the one its claim names, fetched and checked. */
    private static String payload(Map<String, AttributeValue> event, ClaimChecks claims, Supplier<String> describe) {
        AttributeValue claim = event.get(PAYLOAD_CLAIM);
        if (claim == null || !claim.hasM()) {
            return string(event, PAYLOAD);
        }
        String described = describe.get();
        return claims.resolve(PayloadClaim.fromAttribute(claim, described), described);
    }

    /** The id of a commit's first event, read without decoding the rest. */
    static UUID firstEventId(Map<String, AttributeValue> commit) {
        return UUID.fromString(string(commit.get(EVENTS).l().getFirst().m(), EVENT_ID));
    }

    static @Nullable String idempotencyKey(Map<String, AttributeValue> commit) {
        AttributeValue key = commit.get(IDEMPOTENCY_KEY);
        return key == null ? null : key.s();
    }

    static Map<String, AttributeValue> snapshot(Snapshot snapshot) {
        return Map.of(
                PARTITION_KEY, s(snapshot.streamId().toString()),
                SORT_KEY, snapshotSortKey(snapshot.version()),
                KIND, s(EventTable.SNAPSHOT),
                SNAPSHOT_VERSION, n(snapshot.version()),
                SCHEMA_VERSION, n(snapshot.schemaVersion()),
                STATE, s(snapshot.state()));
    }

    static Snapshot snapshot(Map<String, AttributeValue> item) {
        return new Snapshot(
                StreamId.parse(string(item, PARTITION_KEY)),
                number(item, SNAPSHOT_VERSION),
                (int) number(item, SCHEMA_VERSION),
                string(item, STATE));
    }

    static String string(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        if (value == null || value.s() == null) {
            throw new IllegalStateException("event table item " + item.get(PARTITION_KEY) + "/" + item.get(SORT_KEY)
                    + " has no string attribute '" + attribute + "'");
        }
        return value.s();
    }

    static List<AttributeValue> list(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        if (value == null || !value.hasL()) {
            throw new IllegalStateException("event table item " + item.get(PARTITION_KEY) + "/" + item.get(SORT_KEY)
                    + " has no list attribute '" + attribute + "'");
        }
        return value.l();
    }

    static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        if (value == null || value.n() == null) {
            throw new IllegalStateException("event table item " + item.get(PARTITION_KEY) + "/" + item.get(SORT_KEY)
                    + " has no number attribute '" + attribute + "'");
        }
        return Long.parseLong(value.n());
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
