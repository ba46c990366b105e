package dev.factline.functions.projector;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import dev.factline.functions.stream.ChangeRecord;
import dev.factline.functions.view.ViewRow;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * One stream's share of a batch for one {@link StreamView}: its commits, folded in version order
 * onto the view the read table holds, into the one row the batch writes for it, and what that
 * move changes in the tallies summed over the view.
 *
 * <p>Events at or below the stored version were applied before (a re-delivery, or a batch
 * retried after a later failure) and are skipped. An event past the next version means the
 * batch does not hold all the history the row is missing (a record parked earlier, or a read
 * table restored from a backup): the missing events are read from the event store, so the view
 * never skips one. An event that cannot be decoded or applied stops the stream there: what came
 * before it is written, its record is reported, and nothing after it is applied, so the stream's
 * order holds when Lambda delivers it again.
 *
 * <p>A record whose commit could not be read from the stream (but whose keys name its stream and
 * first version) is a hole: the fold reads that commit's events from the event store instead, and
 * only if that fails too is the record reported. A hole the stored row already covers costs
 * nothing.
 *
 * <p>A stored view that no longer reads (its shape changed in a deploy, or a rollback meets rows
 * of newer code) is rebuilt from the event store at its version, and rewritten in the current
 * shape even if the batch adds nothing to it.
 */
final class StreamFold<E, V> {

    private final StreamId streamId;
    private final StreamView<E, V> model;
    private final List<Tally<V>> tallies;
    private final List<Step> steps;
    private @Nullable ViewRow storedRow;
    private @Nullable V stored;
    private boolean storedUnreadable;
    /** Nothing can be written for this stream in this batch: its row or its history could not be read. */
    private boolean unusable;
    private @Nullable V folded;
    private boolean written;
    private int applied;
    private int duplicates;
    private @Nullable String failedAt;
    private @Nullable String failure;

    StreamFold(StreamId streamId, StreamView<E, V> model, List<Tally<V>> tallies, List<Step> steps) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.model = Objects.requireNonNull(model, "model");
        this.tallies = List.copyOf(tallies);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a stream's fold needs at least one record");
        }
        this.steps = steps.stream().sorted(Comparator.comparingLong(Step::firstVersion)).toList();
    }

    /** One record of the stream in the batch: a commit read from it, or a hole where one could not be read. */
    record Step(String sequenceNumber, long firstVersion, @Nullable ChangeRecord commit) {

        static Step of(ChangeRecord commit) {
            return new Step(commit.sequenceNumber(), commit.firstVersion(), commit);
        }

        static Step hole(String sequenceNumber, long firstVersion) {
            return new Step(sequenceNumber, firstVersion, null);
        }
    }

    StreamId streamId() {
        return streamId;
    }

    StreamView<E, V> model() {
        return model;
    }

    String rowKey() {
        return model.rowKey(streamId);
    }

    /**
     * Folds the batch's records onto the row as stored ({@code null}: no row yet), from scratch:
     * calling it again after the row moved under a concurrent writer starts over from the new row.
     */
    void foldOnto(@Nullable ViewRow row, EventStore gapReader) {
        storedRow = row;
        written = false;
        applied = 0;
        duplicates = 0;
        failedAt = null;
        failure = null;
        unusable = false;
        stored = null;
        try {
            stored = storedView(row, gapReader);
            folded = stored;
            foldRecords(row, gapReader);
        } catch (RuntimeException storeOrRowUnusable) {
            // The stored row could not be rebuilt, or the event store failed while recovering from
            // a failed record: write nothing for this stream and let Lambda deliver it all again.
            unusable = true;
            folded = stored;
            applied = 0;
            duplicates = 0;
            failedAt = firstSequenceNumber();
            failure = storeOrRowUnusable.getMessage();
        }
    }

    private @Nullable V storedView(@Nullable ViewRow row, EventStore gapReader) {
        storedUnreadable = false;
        if (row == null) {
            return null;
        }
        try {
            return model.fromJson(row.json());
        } catch (IllegalStateException unreadable) {
            storedUnreadable = true;
            List<RecordedEvent> history = gapReader.load(streamId, 1, row.version());
            if (history.size() != row.version()) {
                throw new IllegalStateException(streamId + "'s stored view does not read (" + unreadable.getMessage()
                        + ") and the event store holds " + history.size() + " of its " + row.version() + " events", unreadable);
            }
            return model.projection().replay(null, history, model.codec());
        }
    }

    private void foldRecords(@Nullable ViewRow row, EventStore gapReader) {
        for (Step step : steps) {
            try {
                ChangeRecord commit = step.commit();
                if (commit == null) {
                    long current = folded == null ? 0 : model.versionOf(folded);
                    if (current < step.firstVersion()) {
                        folded = fillGap(gapReader, current, step.firstVersion());
                        applied += (int) (step.firstVersion() - current);
                    }
                    continue;
                }
                for (RecordedEvent event : commit.events()) {
                    long current = folded == null ? 0 : model.versionOf(folded);
                    if (event.version() <= current) {
                        duplicates++;
                        continue;
                    }
                    if (event.version() > current + 1) {
                        folded = fillGap(gapReader, current, event.version() - 1);
                    }
                    folded = model.projection().apply(folded, streamId, event.version(), event.occurredAt(), model.codec().decode(event));
                    applied++;
                }
            } catch (RuntimeException unusable) {
                failedAt = step.sequenceNumber();
                failure = unusable.getMessage();
                // Keep what the events before the failing record built; the record comes again whole.
                folded = refoldUpTo(row, step, gapReader);
                return;
            }
        }
    }

    private @Nullable V fillGap(EventStore gapReader, long current, long upTo) {
        List<RecordedEvent> missing = gapReader.load(streamId, current + 1, upTo);
        if (missing.size() != upTo - current) {
            throw new IllegalStateException(streamId + " has " + missing.size() + " of its events " + (current + 1) + ".." + upTo
                    + " in the event store, yet the stream delivered a later version");
        }
        return model.projection().replay(folded, missing, model.codec());
    }

    /** The view from the stored row through every record before {@code failing}. */
    private @Nullable V refoldUpTo(@Nullable ViewRow row, Step failing, EventStore gapReader) {
        List<Step> before = new ArrayList<>();
        for (Step step : steps) {
            if (step == failing) {
                break;
            }
            before.add(step);
        }
        if (before.isEmpty()) {
            return stored;
        }
        StreamFold<E, V> prefix = new StreamFold<>(streamId, model, tallies, before);
        prefix.foldOnto(row, gapReader);
        if (prefix.failedAt != null) {
            throw new IllegalStateException("the records before the failing one could not be folded again: " + prefix.failure);
        }
        applied = prefix.applied;
        duplicates = prefix.duplicates;
        return prefix.folded;
    }

    /** The row to write, if the fold moved the view past the stored one or the stored one must be rewritten. */
    Optional<ViewRow> changedRow() {
        if (unusable || folded == null || stored != null && model.versionOf(folded) <= model.versionOf(stored) && !storedUnreadable) {
            return Optional.empty();
        }
        return Optional.of(ViewRow.of(streamId, model, folded));
    }

    void markWritten() {
        written = true;
    }

    /**
     * The row as the read table holds it after the batch: the one written, or the one read when
     * the batch changed nothing; empty when there is none or its write failed.
     */
    Optional<ViewRow> rowAfterBatch() {
        Optional<ViewRow> changed = changedRow();
        if (changed.isPresent()) {
            return written ? changed : Optional.empty();
        }
        return Optional.ofNullable(storedRow);
    }

    /** The stored version the write is conditioned on; 0 when there was no row. */
    long storedVersion() {
        return storedRow == null ? 0 : storedRow.version();
    }

    /** The shard row of each tally of the view that this row counts in: always the same ones, whatever the row holds. */
    List<String> tallyShards() {
        return tallies.stream().map(tally -> tally.shardKeyOf(rowKey())).toList();
    }

    /** What the row's move changes in each tally of the view, by shard row key; nothing when the row does not move. */
    Map<String, SortedMap<String, BigInteger>> tallyChanges() {
        Map<String, SortedMap<String, BigInteger>> changes = new LinkedHashMap<>();
        V after = folded;
        if (after == null || changedRow().isEmpty()) {
            return changes;
        }
        for (Tally<V> tally : tallies) {
            SortedMap<String, BigInteger> change = tally.change(stored, after);
            if (!change.isEmpty()) {
                changes.put(tally.shardKeyOf(rowKey()), change);
            }
        }
        return changes;
    }

    int applied() {
        return applied;
    }

    int duplicates() {
        return duplicates;
    }

    Optional<String> failedAt() {
        return Optional.ofNullable(failedAt);
    }

    @Nullable String failure() {
        return failure;
    }

    /** The sequence number of the first record of this stream in the batch: where a write failure makes Lambda resume. */
    String firstSequenceNumber() {
        return steps.stream().map(Step::sequenceNumber)
                .min(ChangeRecord::compareSequenceNumbers).orElseThrow();
    }
}
