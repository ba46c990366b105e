package dev.factline.functions.projector;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import dev.factline.functions.projector.StreamFold.Step;
import dev.factline.functions.projector.ViewWriter.Outcome;
import dev.factline.functions.projector.ViewWriter.RowWrite;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.PayloadStoreUnavailableException;
import dev.factline.functions.store.PayloadTamperedException;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.stream.ChangeRecord;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.stream.StreamFailures;
import dev.factline.functions.view.CacheGeneration;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ReadTableUnavailableException;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Projects one batch of the event table's stream into every read model it hosts, in the read
 * table and Redis:
 * <ol>
 *   <li>read the batch into commits and group them by stream (one row per stream and view);
 *   <li>read every row the batch touches, and the cache generation, in one BatchGetItem;
 *   <li>fold each stream's events onto its rows, skipping what a row already holds;
 *   <li>write every changed row, each conditioned on the version it was read at, with the
 *       changes it makes to tallies, in one transaction per 100 items (or 3.5 MB);
 *   <li>write the rows through to Redis in one pipeline, labelled with the cache generation;
 *       Redis being away costs the cache (the generation moves on), never the batch;
 *   <li>answer Lambda with the lowest sequence number to retry, if any record failed.
 * </ol>
 */
public final class Projector {

    /**
     * How a batch's changed rows are cut into transactions. On DynamoDB a transaction that meets
     * another in flight on one of its items is cancelled ({@code TransactionConflict}), and
     * concurrent batches (several stream shards, a ParallelizationFactor above 1) all write the
     * tallies' few shard rows: see docs/decisions/transaction-conflicts.md.
     */
    public enum TransactionShape {
        /**
         * The rows that count in the same tally shards together, one transaction per such group
         * (more when a group passes a transaction's limits): two batches meet only while both write
         * the same shard row, and a conflict cancels one group's rows, not the whole batch's.
         */
        BY_TALLY_SHARD,
        /**
         * Every transaction filled with as many rows as fit, whatever shards they count in (the
         * shape before issue 18): a batch of many orders holds every dashboard shard in one
         * transaction, so concurrent batches always meet. Kept for the contention benchmark's
         * comparison.
         */
        FILLED
    }

    /**
     * How the transactions of a batch that other transactions cancel ({@code TransactionConflict})
     * are tried again, always with full jitter (10-200 ms, {@link ProjectorFunction#CONTENTION_BACKOFF})
     * between attempts and never past the time the invocation has left: see
     * docs/decisions/transaction-conflicts.md and the contention section's figures.
     */
    public enum ContentionRetries {
        /**
         * Every transaction of the batch once a round; those cancelled go again in the next round, up
         * to 16 attempts each (at most 2.3 s of pauses): while one shard row is held by another batch,
         * the batch writes its other shards' groups instead of waiting for that one, so a pause is
         * spent once per round, not once per cancelled transaction. At 10 concurrent batches no batch
         * went back to Lambda, against 6 in 40 retried in turn (contention section).
         */
        IN_ROUNDS(16),
        /**
         * Each transaction up to 8 times in a row, then the next (the retries of issue 18 item 4): 10
         * concurrent batches on the dashboard left about a batch in four reported. Kept for the
         * contention benchmark's comparison.
         */
        IN_TURN(8);

        private final int maxAttempts;

        ContentionRetries(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public int maxAttempts() {
            return maxAttempts;
        }
    }

    private final ReadModels models;
    /** View rows per transaction: DynamoDB's 100 items, less one for each counts shard a chunk may add to. */
    private final int maxRowsPerTransaction;
    private final ViewWriter writer;
    private final EventStore gapReader;
    private final ViewCache cache;
    private final CacheGeneration generations;
    private final RetryBackoff.FullJitter backoff;
    private final InstantSource clock;
    private final TransactionShape shape;
    private final ContentionRetries retries;
    private final ClaimChecks claims;

    /** @param claims how the batch's claim-checked payloads are fetched */
    Projector(ReadModels models, ViewWriter writer, EventStore gapReader, ViewCache cache, CacheGeneration generations,
            RetryBackoff.FullJitter backoff, InstantSource clock, ClaimChecks claims) {
        this(models, writer, gapReader, cache, generations, backoff, clock, TransactionShape.BY_TALLY_SHARD, ContentionRetries.IN_ROUNDS, claims);
    }

    private Projector(ReadModels models, ViewWriter writer, EventStore gapReader, ViewCache cache, CacheGeneration generations,
            RetryBackoff.FullJitter backoff, InstantSource clock, TransactionShape shape, ContentionRetries retries, ClaimChecks claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.models = Objects.requireNonNull(models, "models");
        int tallyShards = models.all().stream().mapToInt(model -> model instanceof Tally<?> tally ? tally.shards() : 0).sum();
        this.maxRowsPerTransaction = ViewWriter.MAX_ITEMS_PER_TRANSACTION - tallyShards;
        if (maxRowsPerTransaction < 1) {
            throw new IllegalArgumentException("the tallies' " + tallyShards + " shards leave no room for a view row in a transaction of "
                    + ViewWriter.MAX_ITEMS_PER_TRANSACTION + " items");
        }
        this.writer = Objects.requireNonNull(writer, "writer");
        this.gapReader = Objects.requireNonNull(gapReader, "gapReader");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.generations = Objects.requireNonNull(generations, "generations");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A projector of {@code models} on these tables without Redis: what a rebuild writes with (the
     * query function fills Redis from the rows it reads), contended transactions retried as the
     * projector function's are.
     */
    public static Projector forRebuild(ReadModels models, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable, InstantSource clock,
            ClaimChecks claims) {
        return withoutCache(models, dynamo, readTable, eventTable, clock, TransactionShape.BY_TALLY_SHARD, ContentionRetries.IN_ROUNDS, claims);
    }

    /**
     * {@link #forRebuild}'s projector with its transactions cut in {@code shape} and tried again as
     * {@code retries} say: what the contention benchmark compares.
     */
    public static Projector withoutCache(ReadModels models, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable,
            InstantSource clock, TransactionShape shape, ContentionRetries retries) {
        return withoutCache(models, dynamo, readTable, eventTable, clock, shape, retries, ClaimChecks.none());
    }

    private static Projector withoutCache(ReadModels models, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable,
            InstantSource clock, TransactionShape shape, ContentionRetries retries, ClaimChecks claims) {
        return new Projector(models, new ViewWriter(dynamo, readTable, ProjectorFunction.CONTENTION_BACKOFF, ViewItems.claimedWith(claims)),
                new DynamoDbEventStore(dynamo, eventTable, StoreLimits.defaults(), clock).withClaimChecks(claims), ViewCache.none(),
                new CacheGeneration(dynamo, readTable), ProjectorFunction.CONTENTION_BACKOFF, clock, shape, retries, claims);
    }

    /** The batch's answer to Lambda, its figures, and each record it reports with the reason. */
    public record Result(StreamsEventResponse response, BatchFigures figures, List<RecordProblem> problems) {
    }

    /** {@link #project(DynamodbEvent, Duration)} with no time limit on the retries, only their attempts. */
    public Result project(@Nullable DynamodbEvent event) {
        return project(event, Instant.MAX);
    }

    /**
     * Projects {@code event}'s batch; a transaction cancelled by others is not tried again once a
     * pause would end more than {@code retryFor} from now (what the invocation has left, less what
     * the cache and the answer need), but reported, and Lambda delivers its records again.
     */
    public Result project(@Nullable DynamodbEvent event, Duration retryFor) {
        return project(event, clock.instant().plus(retryFor));
    }

    private Result project(@Nullable DynamodbEvent event, Instant retryUntil) {
        ChangeBatch batch = ChangeBatch.of(event, claims);
        StreamFailures failures = StreamFailures.of(batch);
        Map<StreamId, List<Step>> byStream = new LinkedHashMap<>();
        for (ChangeRecord commit : batch.commits()) {
            byStream.computeIfAbsent(commit.streamId(), stream -> new ArrayList<>()).add(Step.of(commit));
        }
        for (ChangeBatch.UnreadableRecord unreadable : batch.unreadable()) {
            String sequenceNumber = unreadable.sequenceNumber();
            Optional<ChangeBatch.Position> position = unreadable.position();
            if (sequenceNumber != null && position.isPresent()) {
                // Its keys say where it belongs: the fold reads that commit from the event store instead.
                byStream.computeIfAbsent(position.get().streamId(), stream -> new ArrayList<>())
                        .add(Step.hole(sequenceNumber, position.get().firstVersion()));
                continue;
            }
            failures.failed(new RecordProblem("unreadable", sequenceNumber, null, null, null, unreadable.reason()));
        }
        Counts counts = apply(byStream, retryUntil, failures);
        long lagMillis = batch.lag(clock.instant()).map(Duration::toMillis).orElse(0L);
        BatchFigures figures = new BatchFigures(batch.records(), counts.applied, counts.duplicates, counts.rowsWritten,
                counts.transactions, counts.redisRoundTrips, counts.cacheFailures, failures.failedRecords(), lagMillis);
        return new Result(failures.response(), figures, failures.problems());
    }

    /**
     * Folds and writes commits read from the event table itself (a rebuild's scan) as one batch,
     * exactly as stream records are: every hosted read model they concern, from the rows stored.
     * Their sequence numbers are positions in the scan.
     */
    public Result projectScanned(List<ChangeRecord> commits) {
        StreamFailures failures = new StreamFailures(commits.isEmpty() ? null : commits.getFirst().sequenceNumber());
        Map<StreamId, List<Step>> byStream = new LinkedHashMap<>();
        commits.forEach(commit -> byStream.computeIfAbsent(commit.streamId(), stream -> new ArrayList<>()).add(Step.of(commit)));
        Counts counts = apply(byStream, Instant.MAX, failures);
        BatchFigures figures = new BatchFigures(commits.size(), counts.applied, counts.duplicates, counts.rowsWritten,
                counts.transactions, counts.redisRoundTrips, counts.cacheFailures, failures.failedRecords(), 0);
        return new Result(new StreamsEventResponse(), figures, failures.problems());
    }

    /**
     * Reads, folds and writes every view of the streams' records, then Redis; what cannot be done
     * is a failure. The projector never asks which records must wait: each fold stops its stream's
     * view at its own first failure, and reads any gap a failure leaves from the event store.
     */
    private Counts apply(Map<StreamId, List<Step>> byStream, Instant retryUntil, StreamFailures failures) {
        Counts counts = new Counts();
        List<StreamFold<?, ?>> folds = foldsOf(byStream);
        if (folds.isEmpty()) {
            return counts;
        }
        Map<String, Map<String, AttributeValue>> rows;
        try {
            rows = writer.read(keysToRead(folds));
            folds.forEach(fold -> fold.foldOnto(rowOf(rows.get(fold.rowKey())), gapReader));
        } catch (ReadTableUnavailableException | PayloadStoreUnavailableException unreadable) {
            failures.failedFromStart("read-table-unavailable", String.valueOf(unreadable.getMessage()));
            return counts;
        } catch (PayloadTamperedException tampered) {
            // A claimed view whose blob is not the view: reported, never folded onto; a rebuild writes the row anew.
            failures.failedFromStart("view-tampered", String.valueOf(tampered.getMessage()));
            return counts;
        }
        Map<StreamFold<?, ?>, RecordProblem> unwritten = writeAll(folds, retryUntil, counts);
        updateCache(folds, CacheGeneration.in(rows.get(CacheGeneration.KEY)), failures, counts);
        for (StreamFold<?, ?> fold : folds) {
            RecordProblem notWritten = unwritten.get(fold);
            if (notWritten != null) {
                failures.failed(notWritten);
                continue;
            }
            counts.applied += fold.applied();
            counts.duplicates += fold.duplicates();
            fold.failedAt().ifPresent(sequenceNumber -> failures.failed(problemOf(fold, "unappliable", sequenceNumber,
                    String.valueOf(fold.failure()))));
        }
        return counts;
    }

    private static RecordProblem problemOf(StreamFold<?, ?> fold, String kind, String sequenceNumber, String reason) {
        return new RecordProblem(kind, sequenceNumber, fold.streamId().toString(), null, fold.model().space(), reason);
    }

    /** A fold for every stream and every view that follows it; records of other streams are none of the projector's business. */
    private List<StreamFold<?, ?>> foldsOf(Map<StreamId, List<Step>> byStream) {
        List<StreamFold<?, ?>> folds = new ArrayList<>();
        byStream.forEach((streamId, steps) -> models.projected(streamId.type())
                .forEach(view -> folds.add(foldOf(streamId, view, steps))));
        return folds;
    }

    private <E, V> StreamFold<E, V> foldOf(StreamId streamId, StreamView<E, V> view, List<Step> steps) {
        return new StreamFold<>(streamId, view, models.talliesOf(view), steps);
    }

    private static List<String> keysToRead(List<StreamFold<?, ?>> folds) {
        List<String> keys = new ArrayList<>(folds.size() + 1);
        folds.forEach(fold -> keys.add(fold.rowKey()));
        keys.add(CacheGeneration.KEY);
        return keys;
    }

    private @Nullable ViewRow rowOf(@Nullable Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? null : writer.rowOf(item);
    }

    /**
     * Writes the changed rows in transactions of at most 100 items and 3.5 MB, cut in the
     * projector's {@link TransactionShape} (groups in the order the batch first names them, so
     * concurrent batches do not walk the shard rows in step), tried again as its
     * {@link ContentionRetries} say while other transactions cancel them, until {@code retryUntil};
     * returns the folds whose rows could not be written, with why, for Lambda to deliver again.
     */
    private Map<StreamFold<?, ?>, RecordProblem> writeAll(List<StreamFold<?, ?>> folds, Instant retryUntil, Counts counts) {
        Map<List<String>, List<StreamFold<?, ?>>> groups = new LinkedHashMap<>();
        for (StreamFold<?, ?> fold : folds) {
            if (fold.changedRow().isPresent()) {
                List<String> group = shape == TransactionShape.BY_TALLY_SHARD ? fold.tallyShards() : List.of();
                groups.computeIfAbsent(group, shards -> new ArrayList<>()).add(fold);
            }
        }
        List<PendingTransaction> transactions = new ArrayList<>();
        groups.values().forEach(group -> transactions.addAll(cut(group)));
        Map<StreamFold<?, ?>, RecordProblem> unwritten = new LinkedHashMap<>();
        switch (retries) {
            case IN_ROUNDS -> writeInRounds(transactions, retryUntil, counts, unwritten);
            case IN_TURN -> transactions.forEach(transaction -> writeInRounds(List.of(transaction), retryUntil, counts, unwritten));
        }
        return unwritten;
    }

    /** The changed rows of {@code group} in as few transactions as the limits allow. */
    private List<PendingTransaction> cut(List<StreamFold<?, ?>> group) {
        List<PendingTransaction> transactions = new ArrayList<>();
        List<StreamFold<?, ?>> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (StreamFold<?, ?> fold : group) {
            long bytes = writer.bytesOf(fold.changedRow().orElseThrow());
            if (!chunk.isEmpty() && (chunk.size() == maxRowsPerTransaction
                    || chunkBytes + bytes > writer.maxBytesPerTransaction())) {
                transactions.add(new PendingTransaction(chunk));
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(fold);
            chunkBytes += bytes;
        }
        if (!chunk.isEmpty()) {
            transactions.add(new PendingTransaction(chunk));
        }
        return transactions;
    }

    /**
     * Tries every transaction once a round; those another transaction cancelled go again in the
     * next round, after one full-jitter pause, while they have attempts left and the pause ends
     * before {@code retryUntil}. A cancelled transaction wrote nothing and its rows did not move,
     * so it goes again as it is, with nothing read again.
     */
    private void writeInRounds(List<PendingTransaction> transactions, Instant retryUntil, Counts counts,
            Map<StreamFold<?, ?>, RecordProblem> unwritten) {
        List<PendingTransaction> contended = transactions;
        for (int round = 1; !contended.isEmpty(); round++) {
            List<PendingTransaction> again = new ArrayList<>();
            for (PendingTransaction transaction : contended) {
                if (attempt(transaction, counts, unwritten) && transaction.attempts < retries.maxAttempts()) {
                    again.add(transaction);
                } else if (transaction.contention != null) {
                    giveUp(transaction, unwritten);
                }
            }
            if (!again.isEmpty() && clock.instant().plus(backoff.ceiling(round)).isAfter(retryUntil)) {
                again.forEach(transaction -> giveUp(transaction, unwritten));
                return;
            }
            if (!again.isEmpty()) {
                backoff.pause(round);
            }
            contended = again;
        }
    }

    /**
     * Writes {@code transaction}, folding again from the rows DynamoDB hands back while rows move
     * under it: true when another transaction cancelled it (its {@link PendingTransaction#contention}
     * says why), false when it is done, written or given up on (recorded in {@code unwritten}).
     */
    private boolean attempt(PendingTransaction transaction, Counts counts, Map<StreamFold<?, ?>, RecordProblem> unwritten) {
        List<StreamFold<?, ?>> pending = transaction.folds;
        while (transaction.attempts < retries.maxAttempts()) {
            transaction.attempts++;
            List<RowWrite> rows = new ArrayList<>();
            Map<String, SortedMap<String, BigInteger>> tallies = new TreeMap<>();
            for (StreamFold<?, ?> fold : pending) {
                Optional<ViewRow> row = fold.changedRow();
                if (row.isPresent()) {
                    rows.add(new RowWrite(row.get(), fold.storedVersion()));
                    fold.tallyChanges().forEach((shard, change) -> tallies.merge(shard, change, (sum, more) -> Tally.sum(List.of(sum, more))));
                }
            }
            tallies.values().removeIf(Map::isEmpty);
            transaction.contention = null;
            if (rows.isEmpty()) {
                return false;
            }
            switch (writer.write(rows, tallies)) {
                case Outcome.Committed committed -> {
                    pending.forEach(StreamFold::markWritten);
                    counts.transactions++;
                    counts.rowsWritten += committed.itemsWritten();
                    return false;
                }
                case Outcome.RowsMoved moved -> pending.stream()
                        .filter(fold -> moved.current().containsKey(fold.rowKey()))
                        .forEach(fold -> fold.foldOnto(rowOf(moved.current().get(fold.rowKey())), gapReader));
                case Outcome.RowsRefused rowsRefused -> {
                    // A row DynamoDB will never take (over 400 KB): report its stream with DynamoDB's reason, write the others.
                    List<StreamFold<?, ?>> bad = pending.stream().filter(fold -> rowsRefused.reasons().containsKey(fold.rowKey())).toList();
                    bad.forEach(fold -> unwritten.put(fold, problemOf(fold, "refused", fold.firstSequenceNumber(),
                            "DynamoDB refused its row: " + rowsRefused.reasons().get(fold.rowKey()))));
                    pending.removeAll(bad);
                }
                case Outcome.Contended contended -> {
                    transaction.contention = contended.reasons();
                    return true;
                }
                case Outcome.Unavailable unavailable -> {
                    pending.forEach(fold -> unwritten.put(fold, problemOf(fold, "read-table-unavailable", fold.firstSequenceNumber(),
                            unavailable.reason())));
                    return false;
                }
            }
        }
        // Rows kept moving under every attempt: a concurrent delivery of the same streams is still writing them.
        transaction.contention = "rows kept moving under the transaction";
        return false;
    }

    private static void giveUp(PendingTransaction transaction, Map<StreamFold<?, ?>, RecordProblem> unwritten) {
        transaction.folds.forEach(fold -> unwritten.put(fold, problemOf(fold, "contended", fold.firstSequenceNumber(),
                "the transaction was cancelled " + transaction.attempts + " times: " + transaction.contention)));
    }

    /** One transaction's rows on their way to the read table, and how often they were tried. */
    private static final class PendingTransaction {
        final List<StreamFold<?, ?>> folds;
        int attempts;
        /** Why the last attempt was cancelled (another transaction, throttling); null when it was not. */
        @Nullable String contention;

        PendingTransaction(List<StreamFold<?, ?>> folds) {
            this.folds = new ArrayList<>(folds);
        }
    }

    /**
     * Brings Redis up to the rows as they stand after the batch, labelled with the generation read
     * with them (version-guarded, so rows the batch did not change are no-ops, and a batch delivered
     * again heals an entry the first delivery missed). When Redis cannot be reached, the generation
     * moves on, so that readers stop trusting whatever Redis holds when it returns.
     */
    private void updateCache(List<StreamFold<?, ?>> folds, long generation, StreamFailures failures, Counts counts) {
        if (cache.isNone()) {
            return;
        }
        List<ViewRow> rows = folds.stream().filter(fold -> fold.model().cached())
                .map(StreamFold::rowAfterBatch).flatMap(Optional::stream).toList();
        if (rows.isEmpty()) {
            return;
        }
        try {
            counts.redisRoundTrips++;
            cache.putAll(rows, generation);
        } catch (ViewCache.CacheUnavailableException redisAway) {
            counts.cacheFailures++;
            try {
                generations.advance();
            } catch (ReadTableUnavailableException generationUnwritable) {
                // Neither Redis nor the generation can be written: deliver the batch again, whose rows then reach Redis.
                folds.forEach(fold -> failures.failed(problemOf(fold, "cache-unwritable", fold.firstSequenceNumber(),
                        "Redis is away (" + redisAway.getMessage() + ") and the cache generation could not be advanced: "
                                + generationUnwritable.getMessage())));
            }
        }
    }

    /** The figures of one batch. */
    private static final class Counts {
        int applied;
        int duplicates;
        int rowsWritten;
        int transactions;
        int redisRoundTrips;
        int cacheFailures;
    }
}
