package dev.factline.functions.rebuild;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** What a rebuild's segments have done so far, added up as they go, for a progress line. */
public final class RebuildProgress {

    private final LongAdder commits = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder itemsRead = new LongAdder();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final LongAdder rowsWritten = new LongAdder();
    private final LongAdder problems = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final AtomicInteger segmentsDone = new AtomicInteger();

    /** The figures at one moment. */
    public record Figures(long commits, long events, long itemsRead, double readUnits, long rowsWritten, long problems, long throttled,
            int segmentsDone) {

        /** What a run's checkpoints add up to: the figures of every segment's pages so far (throttling is not kept in them). */
        public static Figures of(List<RebuildLedger.Checkpoint> checkpoints) {
            return new Figures(
                    checkpoints.stream().mapToLong(RebuildLedger.Checkpoint::commits).sum(),
                    checkpoints.stream().mapToLong(RebuildLedger.Checkpoint::events).sum(),
                    checkpoints.stream().mapToLong(RebuildLedger.Checkpoint::itemsRead).sum(),
                    checkpoints.stream().mapToDouble(RebuildLedger.Checkpoint::readUnits).sum(),
                    checkpoints.stream().mapToLong(RebuildLedger.Checkpoint::rowsWritten).sum(),
                    checkpoints.stream().mapToLong(RebuildLedger.Checkpoint::problems).sum(),
                    0,
                    (int) checkpoints.stream().filter(RebuildLedger.Checkpoint::done).count());
        }
    }

    void page(long pageCommits, long pageEvents, long pageItems, double pageUnits, long pageRows, long pageProblems) {
        commits.add(pageCommits);
        events.add(pageEvents);
        itemsRead.add(pageItems);
        readUnits.add(pageUnits);
        rowsWritten.add(pageRows);
        problems.add(pageProblems);
    }

    /** What a checkpoint of an earlier run already did, so that totals cover the whole rebuild. */
    void resumed(RebuildLedger.Checkpoint checkpoint) {
        page(checkpoint.commits(), checkpoint.events(), checkpoint.itemsRead(), checkpoint.readUnits(), checkpoint.rowsWritten(),
                checkpoint.problems());
        if (checkpoint.done()) {
            segmentsDone.incrementAndGet();
        }
    }

    void throttled() {
        throttled.increment();
    }

    void segmentDone() {
        segmentsDone.incrementAndGet();
    }

    public Figures figures() {
        return new Figures(commits.sum(), events.sum(), itemsRead.sum(), readUnits.sum(), rowsWritten.sum(), problems.sum(),
                throttled.sum(), segmentsDone.get());
    }
}
