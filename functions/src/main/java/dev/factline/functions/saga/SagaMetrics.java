package dev.factline.functions.saga;

import dev.factline.functions.observability.EmbeddedMetrics;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The saga function's metrics, one flush per batch, in CloudWatch's embedded metric format. Every
 * count is written, zeros included, so an alarm on {@code SagaFailedRecords > 0} has a data point
 * for every batch: {@code SagaRecords}, {@code SagaEvents}, {@code SagaCommandsIssued},
 * {@code SagaCommandsReplayed} (re-deliveries answered under their derived keys),
 * {@code SagaCommandsRefused} (rules that refused: outcomes), {@code SagaCompensations},
 * {@code SagaFailedRecords}, {@code SagaUnreadableRecords} and {@code SagaLag} (milliseconds).
 */
public interface SagaMetrics {

    void record(SagaBatch batch);

    /** Metrics that go nowhere. */
    static SagaMetrics none() {
        return batch -> { };
    }

    /** Embedded-metric-format lines through Powertools' shared metrics instance. */
    static SagaMetrics embedded() {
        EmbeddedMetrics metrics = EmbeddedMetrics.shared();
        return batch -> metrics.flush(buffer -> add(buffer, batch));
    }

    private static void add(Metrics metrics, SagaBatch batch) {
        metrics.addMetric("SagaRecords", batch.records(), MetricUnit.COUNT);
        metrics.addMetric("SagaEvents", batch.events(), MetricUnit.COUNT);
        metrics.addMetric("SagaCommandsIssued", batch.commandsIssued(), MetricUnit.COUNT);
        metrics.addMetric("SagaCommandsReplayed", batch.commandsReplayed(), MetricUnit.COUNT);
        metrics.addMetric("SagaCommandsRefused", batch.commandsRefused(), MetricUnit.COUNT);
        metrics.addMetric("SagaCompensations", batch.compensations(), MetricUnit.COUNT);
        metrics.addMetric("SagaFailedRecords", batch.failedRecords(), MetricUnit.COUNT);
        metrics.addMetric("SagaUnreadableRecords", batch.unreadableRecords(), MetricUnit.COUNT);
        Duration lag = batch.lag();
        if (lag != null) {
            metrics.addMetric("SagaLag", lag.toMillis(), MetricUnit.MILLISECONDS);
        }
    }
}
