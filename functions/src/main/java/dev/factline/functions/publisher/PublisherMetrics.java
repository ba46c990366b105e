package dev.factline.functions.publisher;

import dev.factline.functions.observability.CommandMetrics;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import dev.factline.functions.observability.EmbeddedMetrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The publisher's metrics, one flush per batch, in CloudWatch's embedded metric format (a JSON
 * line on standard output; no API call, no extra permission). Every count is written, zeros
 * included, so an alarm on {@code PublishFailedRecords > 0} has a data point for every batch. The
 * names are the publisher's own: the command function and the projector write to the same
 * namespace.
 *
 * <ul>
 *   <li>{@code PublisherRecords}: stream records delivered; {@code EventsPublished}: events stored on Kinesis.
 *   <li>{@code PutRecordsCalls}: calls made; with one event of a stream per call, a batch needs as
 *       many calls as its busiest stream has events (at least one per 500 events or 5 MiB).
 *   <li>{@code PutRecordsEntriesRetried}: entries sent again after a refusal (throttling) or a
 *       failed call; {@code PutRecordsEntriesRefused}: refusals seen.
 *   <li>{@code PublishFailedRecords}: records reported back to Lambda for another delivery;
 *       {@code PublishUnreadableRecords} and {@code UnpublishableEvents}: the poison among them.
 *   <li>{@code PublishLag} (milliseconds): now minus the time DynamoDB wrote the batch's oldest
 *       commit, so the end-to-end delay from a command to Kinesis (Lambda's {@code IteratorAge}
 *       tells the same from the trigger's side). Absent for a batch without commits.
 * </ul>
 *
 * Written with Powertools for AWS Lambda (functional API, no AspectJ) into the namespace of
 * {@code POWERTOOLS_METRICS_NAMESPACE}, defaulting to {@value EmbeddedMetrics#DEFAULT_NAMESPACE}.
 * Powertools keeps one buffer per JVM, so a batch adds and flushes under its lock.
 */
public interface PublisherMetrics {

    /** Records one batch. */
    void record(PublishedBatch batch);

    /** Metrics that go nowhere, for tests that look at other things. */
    static PublisherMetrics none() {
        return batch -> { };
    }

    /** Embedded-metric-format lines through Powertools' shared metrics instance. */
    static PublisherMetrics embedded() {
        EmbeddedMetrics metrics = EmbeddedMetrics.shared();
        return batch -> metrics.flush(buffer -> add(buffer, batch));
    }

    private static void add(Metrics metrics, PublishedBatch batch) {
        metrics.addMetric("PublisherRecords", batch.records(), MetricUnit.COUNT);
        metrics.addMetric("EventsPublished", batch.eventsPublished(), MetricUnit.COUNT);
        metrics.addMetric("PutRecordsCalls", batch.putRecordsCalls(), MetricUnit.COUNT);
        metrics.addMetric("PutRecordsEntriesRetried", batch.entriesRetried(), MetricUnit.COUNT);
        metrics.addMetric("PutRecordsEntriesRefused", batch.entriesRefused(), MetricUnit.COUNT);
        metrics.addMetric("PublishFailedRecords", batch.recordsFailed(), MetricUnit.COUNT);
        metrics.addMetric("PublishUnreadableRecords", batch.unreadableRecords(), MetricUnit.COUNT);
        metrics.addMetric("UnpublishableEvents", batch.unpublishableEvents(), MetricUnit.COUNT);
        Duration lag = batch.lag();
        if (lag != null) {
            metrics.addMetric("PublishLag", lag.toMillis(), MetricUnit.MILLISECONDS);
        }
    }
}
