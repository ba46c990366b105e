package dev.factline.functions.testing;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the SDK calls a client makes, by operation name, as the SDK itself names them. */
public final class CallCounter implements ExecutionInterceptor {

    private final Map<String, Integer> calls = new TreeMap<>();

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
    }

    /** The calls since the last reset, e.g. {@code {PutItem=1, Query=1}}. */
    public synchronized Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    public synchronized int total() {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized void reset() {
        calls.clear();
    }
}
