package dev.factline.functions.query;

import software.amazon.lambda.powertools.metrics.Metrics;
import dev.factline.functions.observability.EmbeddedMetrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The query function's metrics, one flush per request, in CloudWatch's embedded metric format
 * (as the command function's, {@code CommandMetrics}):
 *
 * <ul>
 *   <li>{@code Queries}: every request answered; {@code QueriesRefused} (4xx), {@code QueryErrors}
 *       (5xx), {@code QueriesNotModified} (304).
 *   <li>{@code QueryLruHits} (tally summaries the container still held), {@code QueryRedisHits},
 *       {@code QueryTableReads}: where answers came from; their ratio is the caches' worth.
 *   <li>{@code QueryRebuilds}: views rebuilt from the event store (read-after-write beyond the
 *       projection, temporal reads).
 *   <li>{@code QueryCacheFailures}: Redis calls that failed; the table answered instead.
 * </ul>
 *
 * The namespace comes from {@code POWERTOOLS_METRICS_NAMESPACE}, defaulting to {@code Factline}.
 */
public interface QueryMetrics {


    void record(QueryFigures figures);

    /** Metrics that go nowhere. */
    static QueryMetrics none() {
        return figures -> { };
    }

    /** Embedded-metric-format lines through Powertools' shared metrics instance, under its lock (one buffer per JVM). */
    static QueryMetrics embedded() {
        EmbeddedMetrics metrics = EmbeddedMetrics.shared();
        return figures -> metrics.flush(buffer -> add(buffer, figures));
    }

    private static void add(Metrics metrics, QueryFigures figures) {
        metrics.addMetric("Queries", 1, MetricUnit.COUNT);
        if (figures.status() >= 500) {
            metrics.addMetric("QueryErrors", 1, MetricUnit.COUNT);
        } else if (figures.status() >= 400) {
            metrics.addMetric("QueriesRefused", 1, MetricUnit.COUNT);
        } else if (figures.status() == 304) {
            metrics.addMetric("QueriesNotModified", 1, MetricUnit.COUNT);
        }
        addIfAny(metrics, "QueryLruHits", figures.lruHits());
        addIfAny(metrics, "QueryRedisHits", figures.redisHits());
        addIfAny(metrics, "QueryTableReads", figures.tableReads());
        addIfAny(metrics, "QueryRebuilds", figures.rebuilds());
        addIfAny(metrics, "QueryCacheFailures", figures.cacheFailures());
        metrics.flush();
    }

    private static void addIfAny(Metrics metrics, String name, int count) {
        if (count > 0) {
            metrics.addMetric(name, count, MetricUnit.COUNT);
        }
    }
}
