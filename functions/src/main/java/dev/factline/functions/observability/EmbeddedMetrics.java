package dev.factline.functions.observability;

import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * Powertools' metrics, as every function writes them: CloudWatch's embedded metric format (a
 * JSON line on standard output that CloudWatch turns into metrics; no API call, so no latency
 * and no extra permission), in the namespace {@code POWERTOOLS_METRICS_NAMESPACE} names,
 * {@value #DEFAULT_NAMESPACE} when unset.
 *
 * <p>Powertools keeps one buffer per JVM, so a request or batch adds its metrics and flushes them
 * under the buffer's lock: a host that runs several at once (the local pipeline) must not mix
 * their counts.
 */
public final class EmbeddedMetrics {

    public static final String DEFAULT_NAMESPACE = "Factline";

    private final Metrics metrics;

    private EmbeddedMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The JVM's one Powertools metrics instance, in the namespace configured or {@value #DEFAULT_NAMESPACE}. */
    public static EmbeddedMetrics shared() {
        Metrics metrics = MetricsFactory.getMetricsInstance();
        if (System.getenv("POWERTOOLS_METRICS_NAMESPACE") == null) {
            metrics.setNamespace(DEFAULT_NAMESPACE);
        }
        return new EmbeddedMetrics(metrics);
    }

    /** Adds what {@code additions} adds, then flushes it as one line, all under the buffer's lock. */
    public void flush(Consumer<Metrics> additions) {
        synchronized (metrics) {
            additions.accept(metrics);
            metrics.flush();
        }
    }
}
