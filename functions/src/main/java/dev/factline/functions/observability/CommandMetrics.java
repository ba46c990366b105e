package dev.factline.functions.observability;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The command function's metrics, one flush per request, in CloudWatch's embedded metric
 * format (a JSON line on standard output that CloudWatch turns into metrics; no API call, so
 * no latency and no extra permission).
 *
 * <ul>
 *   <li>{@code Commands}: every request answered.
 *   <li>{@code CommandsAccepted} (2xx), {@code CommandsRefused} (4xx), {@code CommandErrors} (5xx).
 *   <li>{@code VersionConflicts}: conflicts met on the way, each a reload and another attempt.
 *   <li>{@code ConflictsExhausted}: 409s, writers still racing after every attempt.
 *   <li>{@code IdempotentReplays}: repeats answered with their original result.
 * </ul>
 *
 * Written with Powertools for AWS Lambda (its functional API, no AspectJ); the namespace comes
 * from {@code POWERTOOLS_METRICS_NAMESPACE}, defaulting to {@value #DEFAULT_NAMESPACE}.
 * Powertools keeps one metrics buffer per JVM, so a request adds and flushes under its lock:
 * a host that runs several requests at once (the local pipeline) must not mix their counts.
 */
public interface CommandMetrics {

    String DEFAULT_NAMESPACE = "Factline";

    /** Records one answered request. */
    void record(int status, int versionConflicts, boolean replayed);

    /** Metrics that go nowhere, for tests that look at other things. */
    static CommandMetrics none() {
        return (status, versionConflicts, replayed) -> { };
    }

    /** Embedded-metric-format lines through Powertools' shared metrics instance. */
    static CommandMetrics embedded() {
        Metrics metrics = MetricsFactory.getMetricsInstance();
        if (System.getenv("POWERTOOLS_METRICS_NAMESPACE") == null) {
            metrics.setNamespace(DEFAULT_NAMESPACE);
        }
        return (status, versionConflicts, replayed) -> {
            synchronized (metrics) {
                addAndFlush(metrics, status, versionConflicts, replayed);
            }
        };
    }

    private static void addAndFlush(Metrics metrics, int status, int versionConflicts, boolean replayed) {
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
        metrics.flush();
    }
}
