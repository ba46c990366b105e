package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;

/**
 * How often a property's runs reach each of its corners, checked once the runs are over, so a
 * property cannot pass for want of the cases that make it interesting.
 */
public final class Coverage {

    private final Collection<String> corners;
    private final Map<String, Integer> runsReaching = new TreeMap<>();
    private int runs;

    public Coverage(Collection<String> corners) {
        this.corners = corners;
    }

    /** Counts one run, which reached whichever of the corners {@code reached} holds. */
    public void run(Collection<String> reached) {
        runs++;
        reached.forEach(corner -> runsReaching.merge(corner, 1, Integer::sum));
    }

    /** Every corner was reached in at least {@code percent} percent of the runs. */
    public void assertEachReachedInAtLeast(double percent) {
        assertThat(runs).as("runs counted").isPositive();
        SoftAssertions softly = new SoftAssertions();
        for (String corner : corners) {
            double reachedPercent = 100.0 * runsReaching.getOrDefault(corner, 0) / runs;
            softly.assertThat(reachedPercent).as("%% of %d runs that reached %s", runs, corner).isGreaterThanOrEqualTo(percent);
        }
        softly.assertAll();
    }
}
