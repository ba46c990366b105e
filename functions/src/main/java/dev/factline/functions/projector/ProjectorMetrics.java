package dev.factline.functions.projector;

import dev.factline.functions.observability.EmbeddedMetrics;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The projector's metrics, one flush per batch, in CloudWatch's embedded metric format (see
 * {@link EmbeddedMetrics} for why): {@code ProjectedRecords}, {@code EventsApplied},
 * {@code DuplicatesSkipped}, {@code ReadTableWrites}, {@code ReadTableTransactions},
 * {@code RedisRoundTrips}, {@code CacheWriteFailures}, {@code FailedRecords} and
 * {@code ProjectionLag} (milliseconds from DynamoDB writing the oldest record to the batch done).
 */
@FunctionalInterface
public interface ProjectorMetrics {

    void record(BatchFigures figures);

    static ProjectorMetrics none() {
        return figures -> { };
    }

    static ProjectorMetrics embedded() {
        EmbeddedMetrics shared = EmbeddedMetrics.shared();
        return figures -> shared.flush(metrics -> {
            metrics.addMetric("ProjectedRecords", figures.records(), MetricUnit.COUNT);
            metrics.addMetric("EventsApplied", figures.eventsApplied(), MetricUnit.COUNT);
            metrics.addMetric("DuplicatesSkipped", figures.duplicatesSkipped(), MetricUnit.COUNT);
            metrics.addMetric("ReadTableWrites", figures.rowsWritten(), MetricUnit.COUNT);
            metrics.addMetric("ReadTableTransactions", figures.transactions(), MetricUnit.COUNT);
            metrics.addMetric("RedisRoundTrips", figures.redisRoundTrips(), MetricUnit.COUNT);
            metrics.addMetric("CacheWriteFailures", figures.cacheFailures(), MetricUnit.COUNT);
            metrics.addMetric("FailedRecords", figures.failedRecords(), MetricUnit.COUNT);
            metrics.addMetric("ProjectionLag", figures.maxLagMillis(), MetricUnit.MILLISECONDS);
        });
    }
}
