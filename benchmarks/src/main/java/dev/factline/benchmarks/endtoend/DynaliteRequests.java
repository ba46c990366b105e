package dev.factline.benchmarks.endtoend;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests every SDK client in this JVM sends to DynamoDB and DynamoDB Streams (on the
 * embedded pipeline, both are dynalite), by sender and operation, while a {@link Counting} is open.
 * It is registered as a global interceptor
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), because the pipeline
 * builds its functions' clients itself. Each attempt counts, retries included: each is work for
 * dynalite.
 *
 * <p>The sender is the thread's function: the local pipeline runs an HTTP invocation on the front's
 * {@code http-api} thread, and a stream trigger polls and invokes on its shard's thread,
 * {@code <function>-shardId-...} (and discovers shards on {@code <function>-shard-discovery}).
 */
public final class DynaliteRequests implements ExecutionInterceptor {

    /** The SDK's service names of both: {@code DynamoDb} and {@code DynamoDbStreams}. */
    private static final String DYNAMODB = "DynamoDb";
    private static final String HTTP_THREAD = "http-api";
    private static final String SHARD_THREAD = "-shard";

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static volatile boolean counting;

    /** Counting from now until {@link Counting#close}; one at a time. */
    public static Counting start() {
        synchronized (COUNTS) {
            if (counting) {
                throw new IllegalStateException("dynalite requests are already being counted");
            }
            COUNTS.clear();
            counting = true;
        }
        return new Counting();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!counting) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if (service == null || !service.startsWith(DYNAMODB)) {
            return;
        }
        String key = senderOf(Thread.currentThread().getName()) + " " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        COUNTS.computeIfAbsent(key, ignored -> new LongAdder()).increment();
    }

    /** The function a thread of the local pipeline works for, from its name; the name itself for any other thread. */
    static String senderOf(String threadName) {
        if (threadName.equals(HTTP_THREAD)) {
            return "HTTP API";
        }
        int shard = threadName.indexOf(SHARD_THREAD);
        return shard > 0 ? threadName.substring(0, shard) : threadName;
    }

    /** An open count; {@link #close} stops it and returns the requests by "sender operation". */
    public static final class Counting implements AutoCloseable {

        private @Nullable Map<String, Long> counted;

        private Counting() {
        }

        @Override
        public void close() {
            stop();
        }

        /** Stops counting (once) and returns the requests by "sender operation", e.g. {@code "projector GetRecords"}. */
        public Map<String, Long> stop() {
            synchronized (COUNTS) {
                if (counted == null) {
                    counting = false;
                    Map<String, Long> snapshot = new TreeMap<>();
                    COUNTS.forEach((key, count) -> snapshot.put(key, count.sum()));
                    counted = snapshot;
                }
                return counted;
            }
        }
    }
}
