package dev.factline.replay;

import dev.factline.functions.rebuild.ReadModelDiff;
import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What a person watching a rebuild reads: a line now and then with the segments done, events and
 * their rate, read units and an estimate of the time left, and a summary at the end.
 */
final class ProgressLine {

    private final String space;
    private final int segments;
    private final long approximateItems;
    private final Instant started = Instant.now();

    ProgressLine(String space, int segments, long approximateItems) {
        this.space = space;
        this.segments = segments;
        this.approximateItems = approximateItems;
    }

    String text(RebuildProgress.Figures figures) {
        double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        double itemsPerSecond = figures.itemsRead() / seconds;
        String eta = approximateItems <= 0 || itemsPerSecond <= 0 ? "?"
                : clock(Duration.ofSeconds((long) (Math.max(0, approximateItems - figures.itemsRead()) / itemsPerSecond)));
        return String.format(Locale.ROOT, "%s  segments %d/%d  events %,d (%,.0f/s)  items read %,d of about %,d  read units %,.1f%s  ETA %s",
                space, figures.segmentsDone(), segments, figures.events(), figures.events() / seconds, figures.itemsRead(), approximateItems,
                figures.readUnits(), figures.throttled() == 0 ? "" : "  throttled " + figures.throttled(), eta);
    }

    String summary(Rebuild.Summary summary) {
        RebuildProgress.Figures figures = summary.figures();
        double seconds = Math.max(0.001, summary.took().toMillis() / 1000.0);
        return String.format(Locale.ROOT, "%s %s: %d segments, %,d commits, %,d events in %.1f s (%,.0f events/s); "
                        + "%,d items read for %,.1f read units (%.4f per event); %,d read-table items written; %d problems",
                summary.complete() ? "rebuilt" : "stopped rebuilding", space, summary.segments(), figures.commits(), figures.events(), seconds,
                figures.events() / seconds, figures.itemsRead(), figures.readUnits(),
                figures.events() == 0 ? 0 : figures.readUnits() / figures.events(), figures.rowsWritten(), figures.problems());
    }

    static String describe(ReadModelDiff.Report report) {
        return String.format(Locale.ROOT, "%s against %s: %,d rows against %,d; %,d the same, %,d differ, %,d only in %s, %,d only in %s; "
                        + "%s behind on %,d streams (%,d events, at most %,d on one)%s",
                report.right(), report.left(), report.rightRows(), report.leftRows(), report.same(), report.differ(), report.onlyLeft(),
                report.left(), report.onlyRight(), report.right(), report.right(), report.behind(), report.behindEvents(), report.mostBehind(),
                report.talliesDiffer().isEmpty() ? "" : "; tallies that differ: " + String.join(", ", report.talliesDiffer()));
    }

    private static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
