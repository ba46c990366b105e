package dev.factline.functions.projector;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.projector.ViewWriter.Outcome;
import dev.factline.functions.projector.ViewWriter.RowWrite;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.stream.ChangeRecord;
import dev.factline.functions.stream.RetryPoint;
import dev.factline.functions.view.CacheRepairs;
import dev.factline.functions.view.DashboardRows;
import dev.factline.functions.view.ReadModel;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderTally;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Projects one batch of the event table's stream into the read table and Redis:
 * <ol>
 *   <li>read the batch into commits and group them by stream (one view row per stream);
 *   <li>read every row the batch touches, and the cache-repair list, in one BatchGetItem;
 *   <li>fold each stream's events onto its row, skipping what the row already holds;
 *   <li>write every changed row, each conditioned on the version it was read at, with the
 *       dashboard change, in one transaction per 99 rows;
 *   <li>write the rows through to Redis in one pipeline (after evicting entries a Redis outage
 *       left stale); Redis being away costs the cache, never the batch;
 *   <li>answer Lambda with the lowest sequence number to retry, if any record failed.
 * </ol>
 */
public final class Projector {

    private static final int MAX_WRITE_ATTEMPTS = 5;

    private final ViewWriter writer;
    private final EventStore gapReader;
    private final ViewCache cache;
    private final CacheRepairs repairs;
    private final RetryBackoff backoff;
    private final InstantSource clock;

    Projector(ViewWriter writer, EventStore gapReader, ViewCache cache, CacheRepairs repairs, RetryBackoff backoff, InstantSource clock) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.gapReader = Objects.requireNonNull(gapReader, "gapReader");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.repairs = Objects.requireNonNull(repairs, "repairs");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The batch's answer to Lambda, and its figures. */
    public record Result(StreamsEventResponse response, BatchFigures figures) {
    }

    public Result project(@Nullable DynamodbEvent event) {
        ChangeBatch batch = ChangeBatch.of(event);
        RetryPoint retry = new RetryPoint();
        int failedRecords = 0;
        for (ChangeBatch.UnreadableRecord unreadable : batch.unreadable()) {
            failedRecords++;
            if (unreadable.sequenceNumber() == null) {
                retry.failedFromStart(batch);
            } else {
                retry.failedAt(unreadable.sequenceNumber());
            }
        }
        List<StreamFold<?, ?>> folds = foldsOf(batch.commits());
        Tally tally = new Tally();
        if (!folds.isEmpty()) {
            Map<String, Map<String, AttributeValue>> rows;
            try {
                rows = writer.read(keysToRead(folds));
            } catch (SdkException readTableUnavailable) {
                retry.failedFromStart(batch);
                return done(batch, retry, tally, batch.records());
            }
            folds.forEach(fold -> fold.foldOnto(rowOf(rows.get(fold.rowKey())), gapReader));
            writeAll(folds, retry, tally);
            updateCache(folds, CacheRepairs.pendingIn(rows.get(CacheRepairs.KEY)), retry, tally);
            for (StreamFold<?, ?> fold : folds) {
                tally.applied += fold.applied();
                tally.duplicates += fold.duplicates();
                if (fold.failedAt().isPresent()) {
                    failedRecords++;
                    retry.failedAt(fold.failedAt().get());
                }
            }
        }
        return done(batch, retry, tally, failedRecords);
    }

    private Result done(ChangeBatch batch, RetryPoint retry, Tally tally, int failedRecords) {
        long now = clock.millis();
        long maxLag = batch.commits().stream()
                .mapToLong(record -> now - record.writtenAt().toEpochMilli())
                .max().orElse(0);
        BatchFigures figures = new BatchFigures(batch.records(), tally.applied, tally.duplicates, tally.rowsWritten,
                tally.transactions, tally.redisRoundTrips, tally.cacheFailures, failedRecords, Math.max(0, maxLag));
        return new Result(retry.response(), figures);
    }

    private static List<StreamFold<?, ?>> foldsOf(List<ChangeRecord> commits) {
        Map<StreamId, List<ChangeRecord>> byStream = new LinkedHashMap<>();
        for (ChangeRecord commit : commits) {
            byStream.computeIfAbsent(commit.streamId(), stream -> new ArrayList<>()).add(commit);
        }
        List<StreamFold<?, ?>> folds = new ArrayList<>();
        byStream.forEach((streamId, records) -> ReadModel.following(streamId)
                .ifPresent(model -> folds.add(foldOf(streamId, model, records))));
        return folds;
    }

    private static <E, V> StreamFold<E, V> foldOf(StreamId streamId, ReadModel<E, V> model, List<ChangeRecord> records) {
        return new StreamFold<>(streamId, model, records);
    }

    private static List<String> keysToRead(List<StreamFold<?, ?>> folds) {
        List<String> keys = new ArrayList<>(folds.size() + 1);
        folds.forEach(fold -> keys.add(fold.rowKey()));
        keys.add(CacheRepairs.KEY);
        return keys;
    }

    private static @Nullable ViewRow rowOf(@Nullable Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? null : ViewRow.fromItem(item);
    }

    /** Writes the changed rows in transactions of up to 99; a chunk that cannot be written is retried by Lambda. */
    private void writeAll(List<StreamFold<?, ?>> folds, RetryPoint retry, Tally tally) {
        List<StreamFold<?, ?>> changed = folds.stream().filter(fold -> fold.changedRow().isPresent()).toList();
        for (int from = 0; from < changed.size(); from += ViewWriter.MAX_ROWS_PER_TRANSACTION) {
            List<StreamFold<?, ?>> chunk = changed.subList(from, Math.min(changed.size(), from + ViewWriter.MAX_ROWS_PER_TRANSACTION));
            if (!writeChunk(chunk, tally)) {
                chunk.forEach(fold -> retry.failedAt(fold.firstSequenceNumber()));
            }
        }
    }

    private boolean writeChunk(List<StreamFold<?, ?>> chunk, Tally tally) {
        List<StreamFold<?, ?>> pending = new ArrayList<>(chunk);
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            List<RowWrite> rows = new ArrayList<>();
            OrderTally dashboard = OrderTally.EMPTY;
            for (StreamFold<?, ?> fold : pending) {
                Optional<ViewRow> row = fold.changedRow();
                if (row.isPresent()) {
                    rows.add(new RowWrite(row.get(), fold.storedVersion()));
                    dashboard = dashboard.plus(fold.dashboardChange());
                }
            }
            if (rows.isEmpty()) {
                return true;
            }
            // Any dashboard row is correct; moving to another on each attempt steps around a hot one.
            String dashboardRow = DashboardRows.shardKey(rows.getFirst().row().key().hashCode() + attempt);
            Outcome outcome;
            try {
                outcome = writer.write(rows, dashboard, dashboardRow);
            } catch (SdkException readTableUnavailable) {
                return false;
            }
            switch (outcome) {
                case Outcome.Committed committed -> {
                    pending.forEach(StreamFold::markWritten);
                    tally.transactions++;
                    tally.rowsWritten += committed.itemsWritten();
                    return true;
                }
                case Outcome.RowsMoved moved -> pending.stream()
                        .filter(fold -> moved.current().containsKey(fold.rowKey()))
                        .forEach(fold -> fold.foldOnto(rowOf(moved.current().get(fold.rowKey())), gapReader));
                case Outcome.Contended contended -> backoff.pause(attempt);
            }
        }
        return false;
    }

    /**
     * Brings Redis up to the rows as they stand after the batch: evicts what an earlier outage
     * left listed, then writes every row the batch touched (version-guarded, so rows it did not
     * change are no-ops, and a batch delivered again heals an entry the first delivery missed).
     */
    private void updateCache(List<StreamFold<?, ?>> folds, Set<String> listedStale, RetryPoint retry, Tally tally) {
        if (cache.isNone()) {
            return;
        }
        List<ViewRow> rows = folds.stream().map(StreamFold::rowAfterBatch).flatMap(Optional::stream).toList();
        try {
            if (!listedStale.isEmpty()) {
                tally.redisRoundTrips++;
                try {
                    repairs.repair(cache, listedStale);
                } catch (SdkException unlistingFailed) {
                    // Evicted but still listed: the next repair evicts them again, which is harmless.
                }
            }
            if (!rows.isEmpty()) {
                tally.redisRoundTrips++;
                cache.putAll(rows);
            }
        } catch (ViewCache.CacheUnavailableException redisAway) {
            tally.cacheFailures++;
            try {
                repairs.record(rows.stream().map(ViewRow::key).toList());
            } catch (SdkException readTableUnavailable) {
                // Neither Redis nor the list can be written: deliver the batch again, whose rows then reach Redis.
                folds.forEach(fold -> retry.failedAt(fold.firstSequenceNumber()));
            }
        }
    }

    /** Counters of one batch. */
    private static final class Tally {
        int applied;
        int duplicates;
        int rowsWritten;
        int transactions;
        int redisRoundTrips;
        int cacheFailures;
    }
}
