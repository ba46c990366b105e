package dev.factline.functions.store;

import static dev.factline.functions.store.EventTable.PARTITION_KEY;
import static dev.factline.functions.store.EventTable.SORT_KEY;
import static dev.factline.functions.store.Items.n;
import static dev.factline.functions.store.Items.s;

import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.AppendTooLargeException;
import dev.factline.eventsourcing.Commit;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.IdempotencyKeyReusedException;
import dev.factline.eventsourcing.IdempotencyRecord;
import dev.factline.eventsourcing.InlineWrite;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamTail;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.UniqueValueTakenException;
import dev.factline.eventsourcing.VersionConflictException;
import dev.factline.eventsourcing.WriteContendedException;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The kernel's {@link EventStore} on one DynamoDB table, using single-item conditional writes,
 * and {@code TransactWriteItems} only for a commit with inline writes.
 *
 * <h2>Commits</h2>
 * A command's events are one item, the commit, at {@code (streamId, firstVersion)} with the
 * events as a list and {@code lastVersion}. Writing it with {@code attribute_not_exists} makes
 * the multi-event append atomic and optimistic in one {@code PutItem}: a second writer that saw
 * the same version targets the same key and loses. Versions stay gap-free because a writer
 * only ever targets the version after one it has read.
 *
 * <h2>Snapshots</h2>
 * A snapshot at version v sits in the stream's own partition at sort key v + 0.5, between two
 * commits, so one descending {@code Query} reads the newest snapshot and the events after it.
 * Stream consumers filter on {@link EventTable#KIND}.
 *
 * <h2>Idempotency keys</h2>
 * Without transactions the key's record and the commit are two items, kept honest by a claim:
 * <ol>
 *   <li>Claim the key: a conditional put of {@code ("idempotency#" + key)} naming the stream,
 *       the expected version and the request's fingerprint.
 *   <li>Write the commit, carrying the key.
 * </ol>
 * The commit item is the proof of completion: a key is committed exactly when the commit right
 * after its claimed version carries it. A claim found in place is resolved by reading that
 * commit: carried, the repeat gets the original commit; not carried, the earlier attempt never
 * committed (it lost a race or died), and the claim is taken over with a conditional update on
 * the version it named, never back to an earlier version (see {@code requireNotBehindClaim}).
 * Two commits can never carry one key: each needs the claim at its own version, and a claim
 * moves on only after the commit at its version was seen not to carry it.
 * Claims expire (TTL) after the configured retention, as idempotency keys do everywhere.
 *
 * <h2>Inline writes</h2>
 * A commit with inline writes ({@link InlineWrite}) is one {@code TransactWriteItems}: the commit
 * put with its condition, each inline view's row put into the read table (unconditionally: the
 * commit's condition already orders the stream's writers, and no one else writes an inline
 * model's rows at that version), and each unique value's claim put into this table on condition
 * that no other stream holds it. The transaction's token is the first event's id, so the SDK's
 * retry of a transaction whose answer was lost does not run it twice.
 */
public final class DynamoDbEventStore implements EventStore {

    /** Above every version and every snapshot sort key. */
    private static final String HIGHEST_SORT_KEY = Long.MAX_VALUE + ".5";

    /** The condition of every put that must not replace an item: a commit, a claim. */
    private static final String ABSENT = "attribute_not_exists(#pk)";
    private static final Map<String, String> PK_NAME = Map.of("#pk", PARTITION_KEY);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    /** Longer than any attempt lives between its claim and its commit (API Gateway's 30 s cap). */
    private static final Duration CLAIM_LEASE = Duration.ofSeconds(30);

    private final DynamoDbClient dynamo;
    private final String table;
    private final @Nullable ReadTable readTable;
    private final StoreLimits limits;
    private final InstantSource clock;
    private final ClaimChecks claims;
    private final ViewItems views;

    /** A store whose commits write no inline views (claims of unique values need only the event table). */
    public DynamoDbEventStore(DynamoDbClient dynamo, EventTable table, StoreLimits limits, InstantSource clock) {
        this(dynamo, table, null, limits, clock);
    }

    /** @param readTable where inline views' rows go, beside the projector's */
    public DynamoDbEventStore(DynamoDbClient dynamo, EventTable table, @Nullable ReadTable readTable, StoreLimits limits, InstantSource clock) {
        this(dynamo, table.name(), readTable, limits, clock, ClaimChecks.none());
    }

    private DynamoDbEventStore(DynamoDbClient dynamo, String table, @Nullable ReadTable readTable, StoreLimits limits, InstantSource clock,
            ClaimChecks claims) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = table;
        this.readTable = readTable;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.views = ViewItems.claimedWith(claims);
    }

    /**
     * This store with {@code claims}: payloads over their threshold, and inline views over
     * {@link ViewItems#THRESHOLD_BYTES}, go to the blob store before the commit is written, and are fetched back
     * on every load.
     */
    public DynamoDbEventStore withClaimChecks(ClaimChecks claims) {
        return new DynamoDbEventStore(dynamo, table, readTable, limits, clock, claims);
    }

    @Override
    public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
            List<InlineWrite> inline) {
        return translatingFailures("append to " + streamId, () -> appendCommit(streamId, expectedVersion, events, idempotency, inline));
    }

    @Override
    public <V> Optional<V> inlineView(StreamView<?, V> model, StreamId stream) {
        String readTableName = requireReadTable().name();
        Map<String, AttributeValue> item = translatingFailures("read the inline view " + model.rowKey(stream), () -> dynamo.getItem(
                GetItemRequest.builder().tableName(readTableName).key(ViewRow.keyOf(model.rowKey(stream))).consistentRead(true).build()).item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(model.fromJson(views.row(item).json()));
        } catch (IllegalStateException anotherShape) {
            return Optional.empty();
        }
    }

    @Override
    public List<RecordedEvent> load(StreamId streamId, long fromVersion, long toVersion) {
        return translatingFailures("load " + streamId, () -> loadRange(streamId, fromVersion, toVersion));
    }

    @Override
    public List<RecordedEvent> loadAsOf(StreamId streamId, Instant instant) {
        return translatingFailures("load " + streamId, () -> loadPrefix(streamId, instant));
    }

    @Override
    public StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion) {
        return translatingFailures("load " + streamId, () -> loadFromSnapshot(streamId, stateSchemaVersion, toVersion));
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyRecord(IdempotencyKey key) {
        return translatingFailures("look up an idempotency key", () -> findRecord(key));
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        translatingFailures("save a snapshot of " + snapshot.streamId(),
                () -> dynamo.putItem(PutItemRequest.builder().tableName(table).item(Items.snapshot(snapshot)).build()));
    }

    /** Runs a store operation; DynamoDB's own failures leave as the kernel's, so no AWS type escapes the adapter. */
    private <T> T translatingFailures(String operation, Supplier<T> operationOnDynamo) {
        try {
            return operationOnDynamo.get();
        } catch (SdkException failure) {
            throw new EventStoreUnavailableException("could not " + operation + " in DynamoDB table " + table + ": " + failure.getMessage(), failure);
        }
    }

    private AppendResult appendCommit(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
            List<InlineWrite> inline) {
        EventStore.requireValidAppend(streamId, expectedVersion, events, idempotency);
        EventStore.requireValidInline(streamId, events, inline);
        requireWithinLimits(streamId, events);
        // Blobs first: a store that cannot take them fails the append before anything is in the table.
        Map<UUID, PayloadClaim> claimed = offloadLarge(events);
        List<Put> inlinePuts = inlinePuts(inline, streamId);
        Commit commit = new Commit(streamId, expectedVersion, events.size());
        if (idempotency != null) {
            Optional<AppendResult> earlier = events.isEmpty()
                    ? recordDecidedNothing(commit, idempotency)
                    : claim(commit, idempotency);
            if (earlier.isPresent() || events.isEmpty()) {
                return earlier.orElseGet(() -> new AppendResult.Appended(commit, List.of()));
            }
        }
        Map<String, AttributeValue> commitItem = Items.commit(streamId, expectedVersion, events, idempotency == null ? null : idempotency.key(),
                claimed);
        if (inline.isEmpty()) {
            putCommit(commitItem, streamId, expectedVersion, events.getFirst());
        } else {
            transactCommit(commitItem, inline, inlinePuts, streamId, expectedVersion, events.getFirst());
        }
        List<RecordedEvent> recorded = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            recorded.add(events.get(i).recordedAt(streamId, expectedVersion + 1 + i));
        }
        return new AppendResult.Appended(commit, recorded);
    }

    private void putCommit(Map<String, AttributeValue> commitItem, StreamId streamId, long expectedVersion, NewEvent firstEvent) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(commitItem)
                    .conditionExpression(ABSENT)
                    .expressionAttributeNames(PK_NAME)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
        } catch (ConditionalCheckFailedException taken) {
            if (!isOurOwnCommit(taken.item(), firstEvent)) {
                throw conflict(streamId, expectedVersion);
            }
        } catch (TransactionConflictException inTransaction) {
            // Another command's transaction (one with inline writes) holds this version; the SDK does not retry this.
            throw new WriteContendedException(streamId, "a transaction in flight held the commit's item: " + inTransaction.getMessage());
        }
    }

    /**
     * The puts of {@code inline}, in its order; a large view is put into the blob store here, so
     * before anything is written to a table.
     */
    private List<Put> inlinePuts(List<InlineWrite> inline, StreamId streamId) {
        List<Put> puts = new ArrayList<>(inline.size());
        for (InlineWrite write : inline) {
            puts.add(switch (write) {
                case InlineWrite.View<?> view -> Put.builder()
                        .tableName(requireReadTable().name())
                        .item(views.item(viewRow(view)))
                        .build();
                case InlineWrite.Claim claim -> Put.builder()
                        .tableName(table)
                        .item(Items.uniqueClaim(claim))
                        .conditionExpression(ABSENT + " OR #holder = :stream")
                        .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#holder", Items.STREAM))
                        .expressionAttributeValues(Map.of(":stream", s(streamId.toString())))
                        .build();
            });
        }
        return puts;
    }

    /**
     * The commit and its inline writes ({@code inlinePuts}, of {@code inline}) in one transaction;
     * the commit's refusal is read first, so a conflict is a conflict whatever the claims.
     */
    private void transactCommit(Map<String, AttributeValue> commitItem, List<InlineWrite> inline, List<Put> inlinePuts, StreamId streamId,
            long expectedVersion, NewEvent firstEvent) {
        List<TransactWriteItem> items = new ArrayList<>(1 + inline.size());
        items.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(commitItem)
                .conditionExpression(ABSENT)
                .expressionAttributeNames(PK_NAME)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build()).build());
        inlinePuts.forEach(put -> items.add(TransactWriteItem.builder().put(put).build()));
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                    .transactItems(items)
                    .clientRequestToken(firstEvent.eventId().toString())
                    .build());
        } catch (TransactionCanceledException cancelled) {
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            if (reasons.size() != items.size()) {
                throw cancelled;
            }
            if (refusedByCondition(reasons.getFirst())) {
                if (isOurOwnCommit(reasons.getFirst().item(), firstEvent)) {
                    return;
                }
                throw conflict(streamId, expectedVersion);
            }
            for (int i = 1; i < reasons.size(); i++) {
                if (refusedByCondition(reasons.get(i)) && inline.get(i - 1) instanceof InlineWrite.Claim claim) {
                    throw new UniqueValueTakenException(claim);
                }
            }
            if (reasons.stream().anyMatch(reason -> TRANSACTION_CONFLICT.equals(reason.code()))) {
                // Another transaction held one of the items (a racing claim of the same value); the stream did not move.
                // Once a racer has won a value, the losers' doomed transactions keep cancelling one another: a value held
                // by another stream is the answer, which no further attempt would change.
                Optional<InlineWrite.Claim> lost = claimHeldByAnother(inline, streamId);
                if (lost.isPresent()) {
                    throw new UniqueValueTakenException(lost.get());
                }
                throw new WriteContendedException(streamId, "another write held an item of this commit's transaction: "
                        + reasons.stream().map(CancellationReason::code).toList());
            }
            throw cancelled;
        }
    }

    /** The first of {@code inline}'s claims whose value another stream holds, read consistently; one GetItem per claim. */
    private Optional<InlineWrite.Claim> claimHeldByAnother(List<InlineWrite> inline, StreamId streamId) {
        for (InlineWrite write : inline) {
            if (write instanceof InlineWrite.Claim claim) {
                Map<String, AttributeValue> held = dynamo.getItem(get -> get.tableName(table).key(Items.uniqueClaimKey(claim))
                        .consistentRead(true).projectionExpression("#holder").expressionAttributeNames(Map.of("#holder", Items.STREAM))).item();
                AttributeValue holder = held == null ? null : held.get(Items.STREAM);
                if (holder != null && !holder.s().equals(streamId.toString())) {
                    return Optional.of(claim);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean refusedByCondition(CancellationReason reason) {
        return CONDITION_FAILED.equals(reason.code());
    }

    private static <V> ViewRow viewRow(InlineWrite.View<V> view) {
        return ViewRow.of(view.stream(), view.model(), view.view());
    }

    private ReadTable requireReadTable() {
        if (readTable == null) {
            throw new IllegalStateException("this event store was built without a read table, so it cannot write or read inline views");
        }
        return readTable;
    }

    /**
     * Whether the commit that made our put fail is our own: the SDK retries a put whose response
     * was lost, and the retry then finds the item the first attempt wrote. Anything else there
     * is another writer's commit. The refusal brings that item (ALL_OLD): the condition fails only
     * when there is one, so DynamoDB always returns it.
     */
    private static boolean isOurOwnCommit(@Nullable Map<String, AttributeValue> existing, NewEvent ourFirstEvent) {
        return existing != null && Items.isCommit(existing) && Items.firstEventId(existing).equals(ourFirstEvent.eventId());
    }

    private List<RecordedEvent> loadRange(StreamId streamId, long fromVersion, long toVersion) {
        if (fromVersion > toVersion) {
            return List.of();
        }
        List<Map<String, AttributeValue>> newestFirst = new ArrayList<>();
        for (Map<String, AttributeValue> item : newestFirst(streamId, AttributeValue.fromN(Long.toString(toVersion)))) {
            if (Items.isCommit(item)) {
                newestFirst.add(item);
                if (Items.firstVersion(item) <= fromVersion) {
                    break;
                }
            }
        }
        return eventsBetween(newestFirst, fromVersion, toVersion);
    }

    private List<RecordedEvent> loadPrefix(StreamId streamId, Instant instant) {
        List<RecordedEvent> prefix = new ArrayList<>();
        for (Map<String, AttributeValue> item : oldestFirst(streamId)) {
            if (!Items.isCommit(item)) {
                continue;
            }
            for (RecordedEvent event : Items.events(item, claims)) {
                if (event.occurredAt().isAfter(instant)) {
                    return prefix;
                }
                prefix.add(event);
            }
        }
        return prefix;
    }

    private StreamTail loadFromSnapshot(StreamId streamId, int stateSchemaVersion, long toVersion) {
        Snapshot snapshot = null;
        long lowestFirstVersion = Long.MAX_VALUE;
        List<Map<String, AttributeValue>> newestFirst = new ArrayList<>();
        for (Map<String, AttributeValue> item : newestFirst(streamId, Items.snapshotSortKey(toVersion))) {
            if (Items.isCommit(item)) {
                newestFirst.add(item);
                lowestFirstVersion = Items.firstVersion(item);
            } else if (snapshot == null && Items.isSnapshot(item)) {
                Snapshot candidate = Items.snapshot(item);
                if (candidate.schemaVersion() == stateSchemaVersion && candidate.version() <= toVersion) {
                    snapshot = candidate;
                }
            }
            // Done once the commit holding the first event after the snapshot has been read.
            if (snapshot != null && lowestFirstVersion <= snapshot.version() + 1) {
                break;
            }
        }
        long after = snapshot == null ? 0 : snapshot.version();
        return new StreamTail(snapshot, eventsBetween(newestFirst, after + 1, toVersion));
    }

    private Optional<IdempotencyRecord> findRecord(IdempotencyKey key) {
        Map<String, AttributeValue> claim = getConsistent(Items.claimKey(key));
        if (claim == null) {
            return Optional.empty();
        }
        return committedBy(claim, key).map(committed -> new IdempotencyRecord(key, Items.string(claim, Items.FINGERPRINT), committed.commit()));
    }

    /**
     * Claims {@code idempotency}'s key for a commit after {@code commit.previousVersion()}.
     *
     * @return the original result if the key was already committed by this very request
     */
    private Optional<AppendResult> claim(Commit commit, Idempotency idempotency) {
        Map<String, AttributeValue> claim = claimItem(commit, idempotency, false);
        while (true) {
            // A claim in place comes back with the refusal (ALL_OLD): no read of it.
            Optional<Map<String, AttributeValue>> inPlace = putUnlessPresent(claim);
            if (inPlace.isEmpty()) {
                return Optional.empty();
            }
            Map<String, AttributeValue> existing = inPlace.get();
            Optional<AppendResult.AlreadyCommitted> committed = committedBy(existing, idempotency.key());
            requireRepeatOf(existing, idempotency, commit.streamId(), committed.map(AppendResult.AlreadyCommitted::commit));
            if (committed.isPresent()) {
                return Optional.of(committed.get());
            }
            requireNotBehindClaim(existing, commit);
            if (takeOver(existing, claim)) {
                return Optional.empty();
            }
        }
    }

    /**
     * Records that a keyed command decided nothing at {@code commit.previousVersion()}. No commit
     * item will check that version, so the stream's head is read first: a decision of nothing
     * is then true of the version it names, even if a writer moves the stream right after.
     */
    private Optional<AppendResult> recordDecidedNothing(Commit commit, Idempotency idempotency) {
        long head = head(commit.streamId());
        boolean atExpectedVersion = head == commit.previousVersion();
        Map<String, AttributeValue> done = claimItem(commit, idempotency, true);
        while (true) {
            Map<String, AttributeValue> existing;
            if (atExpectedVersion) {
                Optional<Map<String, AttributeValue>> inPlace = putUnlessPresent(done);
                if (inPlace.isEmpty()) {
                    return Optional.empty();
                }
                existing = inPlace.get();
            } else {
                existing = getConsistent(Items.claimKey(idempotency.key()));
                if (existing == null) {
                    throw new VersionConflictException(commit.streamId(), commit.previousVersion(), head);
                }
            }
            Optional<AppendResult.AlreadyCommitted> committed = committedBy(existing, idempotency.key());
            requireRepeatOf(existing, idempotency, commit.streamId(), committed.map(AppendResult.AlreadyCommitted::commit));
            if (committed.isPresent()) {
                return Optional.of(committed.get());
            }
            if (!atExpectedVersion) {
                throw new VersionConflictException(commit.streamId(), commit.previousVersion(), head);
            }
            requireNotBehindClaim(existing, commit);
            requireNotInFlight(existing, commit);
            if (takeOver(existing, done)) {
                return Optional.empty();
            }
        }
    }

    /**
     * The commit a claim stands for, if it was made, with its events: a decided-nothing record, or
     * the commit after its version carrying the key (read once, events and all).
     */
    private Optional<AppendResult.AlreadyCommitted> committedBy(Map<String, AttributeValue> claim, IdempotencyKey key) {
        StreamId streamId = StreamId.parse(Items.string(claim, Items.STREAM));
        long expected = Items.number(claim, Items.EXPECTED_VERSION);
        if (claim.containsKey(Items.DECIDED_NOTHING)) {
            return Optional.of(new AppendResult.AlreadyCommitted(new Commit(streamId, expected, 0), List.of()));
        }
        Map<String, AttributeValue> next = getConsistent(Items.streamKey(streamId, expected + 1));
        if (next == null || !key.value().equals(Items.idempotencyKey(next))) {
            return Optional.empty();
        }
        return Optional.of(new AppendResult.AlreadyCommitted(new Commit(streamId, expected, (int) (Items.lastVersion(next) - expected)),
                Items.events(next, claims)));
    }

    private static void requireRepeatOf(
            Map<String, AttributeValue> claim, Idempotency idempotency, StreamId streamId, Optional<Commit> committed) {
        StreamId claimedStream = StreamId.parse(Items.string(claim, Items.STREAM));
        if (!Items.string(claim, Items.FINGERPRINT).equals(idempotency.fingerprint()) || !claimedStream.equals(streamId)) {
            Commit original = committed.orElseGet(() -> new Commit(claimedStream, Items.number(claim, Items.EXPECTED_VERSION), 0));
            throw new IdempotencyKeyReusedException(idempotency.key(), original);
        }
    }

    private Map<String, AttributeValue> claimItem(Commit commit, Idempotency idempotency, boolean decidedNothing) {
        Map<String, AttributeValue> item = new HashMap<>(Items.claimKey(idempotency.key()));
        item.put(EventTable.KIND, s(EventTable.CLAIM));
        item.put(Items.FINGERPRINT, s(idempotency.fingerprint()));
        item.put(Items.STREAM, s(commit.streamId().toString()));
        item.put(Items.EXPECTED_VERSION, n(commit.previousVersion()));
        item.put(Items.CLAIMED_AT, n(clock.instant().toEpochMilli()));
        item.put(EventTable.TTL_ATTRIBUTE, n(clock.instant().plus(limits.idempotencyRetention()).getEpochSecond()));
        if (decidedNothing) {
            item.put(Items.DECIDED_NOTHING, AttributeValue.fromBool(true));
        }
        return item;
    }

    /**
     * A claim is only ever taken over at its own version or a later one. At its own version the
     * two commits race for the same slot; at a later one the commit after the claimed version
     * exists, was seen not to carry the key, so the claimed attempt can never commit. At an
     * earlier version (a container with a stale memory) the claimed attempt may still be on its
     * way: moving the claim back would let both commit, so this attempt reloads first.
     */
    private void requireNotBehindClaim(Map<String, AttributeValue> existing, Commit commit) {
        long claimed = Items.number(existing, Items.EXPECTED_VERSION);
        if (commit.previousVersion() < claimed) {
            throw new VersionConflictException(commit.streamId(), commit.previousVersion(), claimed);
        }
    }

    /**
     * A decision of nothing writes no commit, so unlike a commit it cannot race an attempt that
     * claimed the same version for the slot after it: taking such a claim over while that
     * attempt's commit is still on its way would record "nothing" for a key its commit then
     * carries. So a live claim at the same version is waited out (a conflict: reload, retry);
     * only one older than the longest an attempt can take is taken over.
     */
    private void requireNotInFlight(Map<String, AttributeValue> existing, Commit commit) {
        boolean sameVersion = Items.number(existing, Items.EXPECTED_VERSION) == commit.previousVersion();
        AttributeValue claimedAt = existing.get(Items.CLAIMED_AT);
        boolean live = claimedAt != null
                && Long.parseLong(claimedAt.n()) + CLAIM_LEASE.toMillis() > clock.instant().toEpochMilli();
        if (sameVersion && live) {
            throw new VersionConflictException(commit.streamId(), commit.previousVersion(), commit.previousVersion());
        }
    }

    /** Moves an uncommitted claim of the same request to this attempt, if nobody moved it meanwhile. */
    private boolean takeOver(Map<String, AttributeValue> existing, Map<String, AttributeValue> claim) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(claim)
                    .conditionExpression("#expected = :expected AND #fingerprint = :fingerprint AND attribute_not_exists(#nothing)")
                    .expressionAttributeNames(Map.of(
                            "#expected", Items.EXPECTED_VERSION, "#fingerprint", Items.FINGERPRINT, "#nothing", Items.DECIDED_NOTHING))
                    .expressionAttributeValues(Map.of(
                            ":expected", existing.get(Items.EXPECTED_VERSION), ":fingerprint", existing.get(Items.FINGERPRINT)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    /** Puts {@code item} if its key is free; otherwise the item in the way, which DynamoDB returns with the refusal (ALL_OLD). */
    private Optional<Map<String, AttributeValue>> putUnlessPresent(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(item)
                    .conditionExpression(ABSENT)
                    .expressionAttributeNames(PK_NAME)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return Optional.empty();
        } catch (ConditionalCheckFailedException present) {
            // The condition fails only when an item is there, so DynamoDB always returns it.
            return Optional.of(present.item());
        }
    }

    private @Nullable Map<String, AttributeValue> getConsistent(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** A conflict whose head is read only if someone asks for it: a writer that retries reloads the stream instead. */
    private VersionConflictException conflict(StreamId streamId, long expectedVersion) {
        return new VersionConflictException(streamId, expectedVersion,
                () -> translatingFailures("read the head of " + streamId, () -> head(streamId)));
    }

    /**
     * The stream's current version: the last commit's, read from the top past any snapshot above
     * it, in pages of two (the last commit is nearly always among the top two items).
     */
    private long head(StreamId streamId) {
        for (Map<String, AttributeValue> item : newestFirst(streamId, AttributeValue.fromN(HIGHEST_SORT_KEY), 2)) {
            if (Items.isCommit(item)) {
                return Items.lastVersion(item);
            }
        }
        return 0;
    }

    /** The stream's items at or below {@code highestSortKey}, newest first, read page by page as consumed. */
    private Iterable<Map<String, AttributeValue>> newestFirst(StreamId streamId, AttributeValue highestSortKey) {
        return newestFirst(streamId, highestSortKey, limits.readPageItems());
    }

    private Iterable<Map<String, AttributeValue>> newestFirst(StreamId streamId, AttributeValue highestSortKey, int pageItems) {
        return dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk <= :highest")
                .expressionAttributeNames(Map.of("#pk", PARTITION_KEY, "#sk", SORT_KEY))
                .expressionAttributeValues(Map.of(":pk", s(streamId.toString()), ":highest", highestSortKey))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(pageItems)
                .build()).items();
    }

    private Iterable<Map<String, AttributeValue>> oldestFirst(StreamId streamId) {
        return dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PARTITION_KEY))
                .expressionAttributeValues(Map.of(":pk", s(streamId.toString())))
                .consistentRead(true)
                .limit(limits.readPageItems())
                .build()).items();
    }

    private List<RecordedEvent> eventsBetween(List<Map<String, AttributeValue>> commitsNewestFirst, long fromVersion, long toVersion) {
        List<RecordedEvent> events = new ArrayList<>();
        for (Map<String, AttributeValue> commit : commitsNewestFirst.reversed()) {
            for (RecordedEvent event : Items.events(commit, claims)) {
                if (event.version() >= fromVersion && event.version() <= toVersion) {
                    events.add(event);
                }
            }
        }
        return Collections.unmodifiableList(events);
    }

    private void requireWithinLimits(StreamId streamId, List<NewEvent> events) {
        long commitBytes = 0;
        for (NewEvent event : events) {
            long payloadBytes = event.payload().getBytes(StandardCharsets.UTF_8).length;
            if (claims.offloads(payloadBytes)) {
                commitBytes += ClaimChecks.CLAIM_BYTES + StoreLimits.ENVELOPE_BYTES_PER_EVENT;
                continue;
            }
            if (payloadBytes > limits.maxPayloadBytes()) {
                long limit = claims.maxPayloadBytes() == Long.MAX_VALUE ? limits.maxPayloadBytes() : claims.maxPayloadBytes();
                throw new AppendTooLargeException(streamId, "the payload of a " + event.type() + " event", payloadBytes, limit);
            }
            commitBytes += payloadBytes + StoreLimits.ENVELOPE_BYTES_PER_EVENT;
        }
        if (commitBytes > limits.maxCommitBytes()) {
            throw new AppendTooLargeException(streamId, "a commit of " + events.size() + " events", commitBytes, limits.maxCommitBytes());
        }
    }

    /** Stores the payloads over the claim-check threshold in the blob store; their claims by event id. */
    private Map<UUID, PayloadClaim> offloadLarge(List<NewEvent> events) {
        Map<UUID, PayloadClaim> claimed = new HashMap<>();
        for (NewEvent event : events) {
            if (claims.offloads(event.payload())) {
                claimed.put(event.eventId(), claims.offload(event.payload()));
            }
        }
        return claimed;
    }
}
