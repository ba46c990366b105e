package dev.factline.functions.rebuild;

import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.functions.projector.Projector;
import dev.factline.functions.rebuild.EventTableScan.EventTableUnavailableException;
import dev.factline.functions.rebuild.EventTableScan.Page;
import dev.factline.functions.rebuild.RebuildLedger.Checkpoint;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.view.ReadTableUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One Scan segment of a rebuild, from its checkpoint to its end: read a page of commits, fold and
 * write them into the target read model exactly as the projector does a batch (one read, one
 * transaction per 100 items, every row guarded by its version), save the checkpoint, go on.
 *
 * <p>A page the read table could not take (busy, throttled, a transaction contended) is read and
 * written again after a pause, up to {@value #MAX_ATTEMPTS} times; what it had written is skipped
 * by the rows' versions. An event the read model cannot apply is a problem of its stream, reported
 * and passed: the stream's row stays at the last version it can explain, as the live projector
 * leaves it.
 */
public final class SegmentWorker {

    static final int MAX_ATTEMPTS = 8;
    /** Problems that the same page, tried again later, may not meet. */
    private static final Set<String> PASSING = Set.of("read-table-unavailable", "contended", "cache-unwritable");

    private final String space;
    private final int segments;
    private final EventTableScan scan;
    private final Projector projector;
    private final RebuildLedger ledger;
    private final ReadRateLimit limit;
    private final int pageSize;
    private final RetryBackoff backoff;
    private final RebuildProgress progress;
    private final Consumer<RecordProblem> problems;

    public SegmentWorker(String space, int segments, EventTableScan scan, Projector projector, RebuildLedger ledger, ReadRateLimit limit,
            int pageSize, RetryBackoff backoff, RebuildProgress progress, Consumer<RecordProblem> problems) {
        this.space = Objects.requireNonNull(space, "space");
        this.segments = segments;
        this.scan = Objects.requireNonNull(scan, "scan");
        this.projector = Objects.requireNonNull(projector, "projector");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.limit = Objects.requireNonNull(limit, "limit");
        this.pageSize = pageSize;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /**
     * Runs the segment on from {@code from} while {@code keepGoing} says so; the checkpoint reached.
     *
     * @throws EventTableUnavailableException when the event table is missing, or kept failing
     * @throws ReadTableUnavailableException when the read table kept failing
     */
    public Checkpoint run(Checkpoint from, BooleanSupplier keepGoing) throws InterruptedException {
        Checkpoint at = from;
        int failures = 0;
        while (!at.done() && keepGoing.getAsBoolean()) {
            limit.awaitTurn();
            Page page;
            try {
                page = scan.read(at.segment(), segments, at.after(), pageSize, at.commits() + 1);
            } catch (EventTableUnavailableException unavailable) {
                if (unavailable.missing() || ++failures >= MAX_ATTEMPTS) {
                    throw unavailable;
                }
                progress.throttled();
                backoff.pause(failures);
                continue;
            }
            limit.spent(page.readUnits());
            Projector.Result result = projector.projectScanned(page.commits());
            List<RecordProblem> passing = result.problems().stream().filter(problem -> PASSING.contains(problem.kind())).toList();
            if (!passing.isEmpty()) {
                if (++failures >= MAX_ATTEMPTS) {
                    throw new ReadTableUnavailableException("segment " + at.segment() + " of " + space + " could not be written after "
                            + MAX_ATTEMPTS + " attempts: " + passing.getFirst().reason());
                }
                progress.throttled();
                backoff.pause(failures);
                continue;
            }
            failures = 0;
            List<RecordProblem> found = new ArrayList<>(result.problems());
            page.unreadable().forEach(reason -> found.add(new RecordProblem("unreadable", null, null, null, space, reason)));
            found.forEach(problems);
            long events = page.commits().stream().mapToLong(commit -> commit.events().size()).sum();
            long rows = result.figures().rowsWritten();
            at = new Checkpoint(at.segment(), page.next(), page.next() == null, at.commits() + page.commits().size(), at.events() + events,
                    at.itemsRead() + page.itemsRead(), at.readUnits() + page.readUnits(), at.rowsWritten() + rows, at.problems() + found.size());
            ledger.save(space, at);
            progress.page(page.commits().size(), events, page.itemsRead(), page.readUnits(), rows, found.size());
            if (at.done()) {
                progress.segmentDone();
            }
        }
        return at;
    }
}
