package dev.factline.functions.projector;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.stream.ChangeRecord;
import dev.factline.functions.view.ReadModel;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderTally;
import dev.factline.order.OrderView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One stream's share of a batch: its commits, folded in version order onto the view the read
 * table holds, into the one row the batch writes for it.
 *
 * <p>Events at or below the stored version were applied before (a re-delivery, or a batch
 * retried after a later failure) and are skipped. An event past the next version means the
 * batch does not hold all the history the row is missing (a record parked earlier, or a read
 * table restored from a backup): the missing events are read from the event store, so the view
 * never skips one. An event that cannot be decoded or applied stops the stream there: what came
 * before it is written, its record is reported, and nothing after it is applied, so the stream's
 * order holds when Lambda delivers it again.
 */
final class StreamFold<E, V> {

    private final StreamId streamId;
    private final ReadModel<E, V> model;
    private final List<ChangeRecord> records;
    private @Nullable ViewRow storedRow;
    private @Nullable V stored;
    private @Nullable V folded;
    private boolean written;
    private int applied;
    private int duplicates;
    private @Nullable String failedAt;
    private @Nullable String failure;

    StreamFold(StreamId streamId, ReadModel<E, V> model, List<ChangeRecord> records) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.model = Objects.requireNonNull(model, "model");
        this.records = records.stream().sorted(Comparator.comparingLong(ChangeRecord::firstVersion)).toList();
    }

    StreamId streamId() {
        return streamId;
    }

    String rowKey() {
        return streamId.toString();
    }

    /**
     * Folds the batch's records onto the row as stored ({@code null}: no row yet), from scratch:
     * calling it again after the row moved under a concurrent writer starts over from the new row.
     */
    void foldOnto(@Nullable ViewRow row, EventStore gapReader) {
        storedRow = row;
        stored = row == null ? null : model.fromJson(row.json());
        folded = stored;
        written = false;
        applied = 0;
        duplicates = 0;
        failedAt = null;
        failure = null;
        for (ChangeRecord record : records) {
            try {
                for (RecordedEvent event : record.events()) {
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
                failedAt = record.sequenceNumber();
                failure = unusable.getMessage();
                // Keep what the events before the failing record built; the record comes again whole.
                folded = refoldUpTo(row, record, gapReader);
                return;
            }
        }
    }

    private @Nullable V fillGap(EventStore gapReader, long current, long upTo) {
        List<RecordedEvent> missing = gapReader.load(streamId, current + 1, upTo);
        if (missing.size() != upTo - current) {
            throw new IllegalStateException(streamId + " has no events " + (current + 1) + ".." + upTo
                    + " in the event store, yet the stream delivered version " + (upTo + 1));
        }
        return model.projection().replay(folded, missing, model.codec());
    }

    /** The view from the stored row through every record before {@code failing}. */
    private @Nullable V refoldUpTo(@Nullable ViewRow row, ChangeRecord failing, EventStore gapReader) {
        List<ChangeRecord> before = new ArrayList<>();
        for (ChangeRecord record : records) {
            if (record == failing) {
                break;
            }
            before.add(record);
        }
        StreamFold<E, V> prefix = new StreamFold<>(streamId, model, before);
        prefix.foldOnto(row, gapReader);
        applied = prefix.applied;
        duplicates = prefix.duplicates;
        return prefix.folded;
    }

    /** The row to write, if the fold moved the view past the stored one. */
    Optional<ViewRow> changedRow() {
        if (folded == null || stored != null && model.versionOf(folded) <= model.versionOf(stored)) {
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
        return stored == null ? 0 : model.versionOf(stored);
    }

    /** What the fold changes on the order dashboard: nothing for views other than orders. */
    OrderTally dashboardChange() {
        if (folded instanceof OrderView after && changedRow().isPresent()) {
            return OrderTally.between((OrderView) stored, after);
        }
        return OrderTally.EMPTY;
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
        return records.stream().map(ChangeRecord::sequenceNumber)
                .min(ChangeRecord::compareSequenceNumbers).orElseThrow();
    }
}
