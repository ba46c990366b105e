package dev.factline.functions.observability;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The command function's metrics, one flush per request ({@link EmbeddedMetrics}).
 *
 * <ul>
 *   <li>{@code Commands}: every request answered.
 *   <li>{@code CommandsAccepted} (2xx), {@code CommandsRefused} (4xx), {@code CommandErrors} (5xx).
 *   <li>{@code VersionConflicts}: conflicts met on the way, each a reload and another attempt.
 *   <li>{@code ConflictsExhausted}: 409s, writers still racing after every attempt.
 *   <li>{@code IdempotentReplays}: repeats answered with their original result.
 * </ul>
 *
 */
public interface CommandMetrics {

    /** Records one answered request. */
    void record(int status, int versionConflicts, boolean replayed);

    /** Metrics that go nowhere, for tests that look at other things. */
    static CommandMetrics none() {
        return (status, versionConflicts, replayed) -> { };
    }

    /** Embedded-metric-format lines through Powertools' shared metrics instance. */
    static CommandMetrics embedded() {
        EmbeddedMetrics metrics = EmbeddedMetrics.shared();
        return (status, versionConflicts, replayed) -> metrics.flush(buffer -> add(buffer, status, versionConflicts, replayed));
    }

    private static void add(Metrics metrics, int status, int versionConflicts, boolean replayed) {
        metrics.addMetric("Commands", 1, MetricUnit.COUNT);
        if (status >= 500) {
            metrics.addMetric("CommandErrors", 1, MetricUnit.COUNT);
        } else if (status >= 400) {
            metrics.addMetric("CommandsRefused", 1, MetricUnit.COUNT);
        } else {
            metrics.addMetric("CommandsAccepted", 1, MetricUnit.COUNT);
        }
        if (status == 409) {
            metrics.addMetric("ConflictsExhausted", 1, MetricUnit.COUNT);
        }
        if (versionConflicts > 0) {
            metrics.addMetric("VersionConflicts", versionConflicts, MetricUnit.COUNT);
        }
        if (replayed) {
            metrics.addMetric("IdempotentReplays", 1, MetricUnit.COUNT);
        }
    }
}
