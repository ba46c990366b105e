package dev.factline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.factline.emulators.InvocationContext;
import dev.factline.functions.topology.FunctionSpec;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One function as one warm Lambda container: the handler built once, invoked one event at a time
 * (a container never runs two invocations at once, and the handlers are written for that).
 */
final class LocalFunction<I, O> {

    private final FunctionSpec spec;
    private final RequestHandler<I, O> handler;
    private final ReentrantLock container = new ReentrantLock(true);
    private final AtomicLong invocations = new AtomicLong();

    LocalFunction(FunctionSpec spec, RequestHandler<I, O> handler) {
        this.spec = spec;
        this.handler = handler;
    }

    String name() {
        return spec.name();
    }

    long invocations() {
        return invocations.get();
    }

    /** Invokes the handler; an exception it throws is a function error, as Lambda reports it. */
    O invoke(I event) {
        container.lock();
        invocations.incrementAndGet();
        try {
            return handler.handleRequest(event, InvocationContext.startingNow(spec.name(), spec.memoryMegabytes(), UUID.randomUUID().toString(), spec.timeout()));
        } finally {
            container.unlock();
        }
    }
}
