package dev.factline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.factline.emulators.InvocationContext;
import dev.factline.functions.topology.FunctionSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One function as Lambda runs it: up to {@link #limit()} containers at once, each a handler built by
 * the function's factory (its own clients and warm memory) and running one invocation at a time. An
 * invocation goes to an idle container (the one that finished last, as Lambda reuses the warmest),
 * else to a new one while the function is under its limit, else waits for one to come free; when the
 * limit is the function's reserved concurrency, {@link #invokeOrThrottle} refuses instead, as Lambda
 * throttles a synchronous invocation (see docs/decisions/local-concurrency.md). The first container is
 * built at once, so a function that cannot start stops the pipeline's start.
 */
final class LocalFunction<I, O> implements AutoCloseable {

    /** Builds one container's handler; what it opens goes to {@code closeAtStop}, closed when the function stops. */
    @FunctionalInterface
    interface Container<I, O> {
        RequestHandler<I, O> start(Consumer<AutoCloseable> closeAtStop);
    }

    /** Lambda's TooManyRequestsException: every container the function's reserved concurrency allows is busy. */
    static final class ThrottledException extends RuntimeException {
        ThrottledException(String message) {
            super(message);
        }
    }

    private final FunctionSpec spec;
    private final Container<I, O> factory;
    private final int limit;
    private final boolean throttles;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Idle containers, the one that finished last first. Guarded by {@link #lock}. */
    private final Deque<RequestHandler<I, O>> idle = new ArrayDeque<>();
    /** Containers started or starting. Guarded by {@link #lock}. */
    private int containers;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /**
     * Up to {@code concurrency} containers, or the function's reserved concurrency if that is lower
     * (invocations over it are then throttled), built by {@code factory}.
     */
    LocalFunction(FunctionSpec spec, int concurrency, Container<I, O> factory) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(spec.name() + ": concurrency is at least 1 container, not " + concurrency);
        }
        this.spec = spec;
        this.factory = factory;
        int reserved = spec.reservedConcurrency().orElse(Integer.MAX_VALUE);
        this.limit = Math.min(concurrency, reserved);
        this.throttles = reserved <= concurrency;
        containers = 1;
        try {
            idle.push(start());
        } catch (RuntimeException | Error failedToStart) {
            closeOpened(failedToStart);
            throw failedToStart;
        }
    }

    /** One container of {@code handler}: every invocation runs on it, one at a time (tests hand their own handler). */
    LocalFunction(FunctionSpec spec, RequestHandler<I, O> handler) {
        this(spec, 1, closeAtStop -> handler);
    }

    String name() {
        return spec.name();
    }

    /** The most containers the function runs at once. */
    int limit() {
        return limit;
    }

    /** Whether {@link #limit()} is the function's reserved concurrency, over which synchronous invocations are throttled. */
    boolean throttles() {
        return throttles;
    }

    long invocations() {
        return invocations.get();
    }

    /** How many synchronous invocations were throttled. */
    long throttled() {
        return throttled.get();
    }

    /** How many containers have been started so far (never more than {@link #limit()}; a container is never stopped before the function). */
    int containers() {
        lock.lock();
        try {
            return containers;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Invokes the function, waiting for a container if all are busy: what an event source mapping
     * does, since Lambda retries a throttled batch until it gets through. An exception the handler
     * throws is a function error, as Lambda reports it.
     */
    O invoke(I event) {
        return invokeOn(acquire(false), event);
    }

    /**
     * A synchronous invocation (API Gateway's): as {@link #invoke}, except that at the function's
     * reserved concurrency it is throttled ({@link ThrottledException}) rather than kept waiting.
     */
    O invokeOrThrottle(I event) {
        return invokeOn(acquire(true), event);
    }

    private O invokeOn(RequestHandler<I, O> container, I event) {
        invocations.incrementAndGet();
        try {
            return container.handleRequest(event,
                    InvocationContext.startingNow(spec.name(), spec.memoryMegabytes(), UUID.randomUUID().toString(), spec.timeout()));
        } finally {
            release(container);
        }
    }

    private RequestHandler<I, O> acquire(boolean throttle) {
        lock.lock();
        try {
            while (idle.isEmpty() && containers >= limit) {
                if (throttle && throttles) {
                    throttled.incrementAndGet();
                    throw new ThrottledException(spec.name() + " is throttled: all " + limit + " containers its reserved concurrency allows are busy");
                }
                freed.awaitUninterruptibly();
            }
            if (!idle.isEmpty()) {
                return idle.pop();
            }
            containers++;
        } finally {
            lock.unlock();
        }
        try {
            return start();
        } catch (RuntimeException | Error failedToStart) {
            lock.lock();
            try {
                containers--;
                freed.signal();
            } finally {
                lock.unlock();
            }
            throw failedToStart;
        }
    }

    private void release(RequestHandler<I, O> container) {
        lock.lock();
        try {
            idle.push(container);
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A new container: the factory's handler, built outside the lock (a cold start takes a while), its clients kept for {@link #close}. */
    private RequestHandler<I, O> start() {
        return factory.start(closeable -> {
            synchronized (opened) {
                opened.add(closeable);
            }
        });
    }

    /** Closes what every container opened, newest first. */
    @Override
    public void close() {
        IllegalStateException failed = new IllegalStateException("closing " + spec.name() + "'s containers failed");
        closeOpened(failed);
        if (failed.getSuppressed().length > 0) {
            throw failed;
        }
    }

    /** Closes what the containers opened, newest first; each failure is added to {@code failures}, none stops the rest. */
    private void closeOpened(Throwable failures) {
        List<AutoCloseable> all;
        synchronized (opened) {
            all = new ArrayList<>(opened.reversed());
            opened.clear();
        }
        for (AutoCloseable closeable : all) {
            try {
                closeable.close();
            } catch (Exception e) {
                failures.addSuppressed(e);
            }
        }
    }
}
