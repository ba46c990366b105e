package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.factline.functions.topology.FunctionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/** A function's containers: started on demand up to its limit, reused when idle, each with its own state, throttled at reserved concurrency. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class LocalFunctionTest {

    private static final FunctionSpec SPEC = new FunctionSpec("probe", "probe::handleRequest", 512, Duration.ofSeconds(30), Map.of(), Map.of(),
            Map.of());

    /** A container that counts its own invocations (its warm state) and fails if it is ever entered twice at once. */
    private static final class Probe implements RequestHandler<CountDownLatch, Integer> {
        private final AtomicInteger inside = new AtomicInteger();
        private int handled;

        @Override
        public Integer handleRequest(CountDownLatch release, Context context) {
            if (inside.incrementAndGet() != 1) {
                throw new IllegalStateException("a container ran two invocations at once");
            }
            try {
                await(release);
                return ++handled;
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    private static final class Probes implements LocalFunction.Container<CountDownLatch, Integer> {
        final List<Probe> started = new CopyOnWriteArrayList<>();

        @Override
        public RequestHandler<CountDownLatch, Integer> start(Consumer<AutoCloseable> closeAtStop) {
            Probe probe = new Probe();
            started.add(probe);
            return probe;
        }
    }

    @Test
    void concurrent_invocations_start_containers_up_to_the_limit_and_never_more() throws Exception {
        Probes probes = new Probes();
        LocalFunction<CountDownLatch, Integer> function = new LocalFunction<>(SPEC, 3, probes);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> function.invoke(release)));
            }
            awaitUntil(() -> function.containers() == 3);
            // Five invocations wait for a container; none is started beyond the limit while they do.
            Thread.sleep(100);
            assertThat(function.containers()).isEqualTo(3);
            release.countDown();
            for (Future<Integer> answer : answers) {
                answer.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(probes.started).hasSize(3);
        assertThat(function.invocations()).isEqualTo(8);
        // Each container kept its own count: together they handled all eight, each more than none.
        assertThat(probes.started.stream().mapToInt(probe -> probe.handled).sum()).isEqualTo(8);
        assertThat(probes.started).allSatisfy(probe -> assertThat(probe.handled).isPositive());
    }

    @Test
    void invocations_one_after_another_reuse_the_warm_container() {
        Probes probes = new Probes();
        LocalFunction<CountDownLatch, Integer> function = new LocalFunction<>(SPEC, 8, probes);
        CountDownLatch open = new CountDownLatch(0);
        assertThat(List.of(function.invoke(open), function.invoke(open), function.invoke(open))).containsExactly(1, 2, 3);
        assertThat(function.containers()).isEqualTo(1);
    }

    @Test
    void a_lower_reserved_concurrency_is_the_limit_and_a_synchronous_invocation_over_it_is_throttled() throws Exception {
        Probes probes = new Probes();
        LocalFunction<CountDownLatch, Integer> function = new LocalFunction<>(SPEC.withReservedConcurrency(2), 8, probes);
        assertThat(function.limit()).isEqualTo(2);
        assertThat(function.throttles()).isTrue();
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(3)) {
            Future<Integer> first = clients.submit(() -> function.invokeOrThrottle(release));
            Future<Integer> second = clients.submit(() -> function.invokeOrThrottle(release));
            awaitUntil(() -> probes.started.stream().allMatch(probe -> probe.inside.get() == 1) && function.containers() == 2);
            assertThatThrownBy(() -> function.invokeOrThrottle(release)).isInstanceOf(LocalFunction.ThrottledException.class)
                    .hasMessage("probe is throttled: all 2 containers its reserved concurrency allows are busy");
            // A stream trigger's invocation waits instead, as Lambda's event source mapping retries a throttled batch.
            Future<Integer> polled = clients.submit(() -> function.invoke(release));
            release.countDown();
            assertThat(List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS), polled.get(10, TimeUnit.SECONDS)))
                    .hasSize(3);
        }
        assertThat(function.throttled()).isEqualTo(1);
        assertThat(function.containers()).isEqualTo(2);
    }

    @Test
    void a_reserved_concurrency_above_the_local_limit_waits_rather_than_throttles() {
        LocalFunction<CountDownLatch, Integer> function = new LocalFunction<>(SPEC.withReservedConcurrency(50), 4, new Probes());
        assertThat(function.limit()).isEqualTo(4);
        assertThat(function.throttles()).isFalse();
    }

    @Test
    void a_container_that_fails_to_start_gives_its_place_back() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        Set<Probe> started = ConcurrentHashMap.newKeySet();
        LocalFunction<CountDownLatch, Integer> function = new LocalFunction<>(SPEC, 2, closeAtStop -> {
            if (starts.incrementAndGet() == 2) {
                throw new IllegalStateException("init failed");
            }
            Probe probe = new Probe();
            started.add(probe);
            return probe;
        });
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            Future<Integer> holding = clients.submit(() -> function.invoke(release));
            awaitUntil(() -> started.stream().anyMatch(probe -> probe.inside.get() == 1));
            assertThatThrownBy(() -> function.invoke(release)).hasMessage("init failed");
            assertThat(function.containers()).isEqualTo(1);
            Future<Integer> next = clients.submit(() -> function.invoke(release));
            awaitUntil(() -> function.containers() == 2);
            release.countDown();
            holding.get(10, TimeUnit.SECONDS);
            next.get(10, TimeUnit.SECONDS);
        }
        assertThat(started).hasSize(2);
    }

    @Test
    void what_every_container_opened_is_closed_with_the_function() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        LocalFunction<CountDownLatch, Integer> function = new LocalFunction<>(SPEC, 2, closeAtStop -> {
            closeAtStop.accept(closed::incrementAndGet);
            return new Probe();
        });
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            Future<Integer> first = clients.submit(() -> function.invoke(release));
            Future<Integer> second = clients.submit(() -> function.invoke(release));
            awaitUntil(() -> function.containers() == 2);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        }
        function.close();
        assertThat(closed).hasValue(2);
    }

    @Test
    void a_concurrency_below_one_is_refused() {
        assertThatThrownBy(() -> new LocalFunction<>(SPEC, 0, new Probes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probe: concurrency is at least 1 container, not 0");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
