package dev.factline.benchmarks.load;

import dev.factline.local.ApiSigner;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Closed-loop load against a base URL: {@code concurrency} workers, each sending its next request
 * as soon as the last one was answered. Each worker first opens an account of its own, funds it,
 * and waits until its view can be read, so the measured part reads and writes only what exists.
 * Then it runs the warm-up (not measured) and the measured period; the result counts answers by
 * status and records latencies in microseconds.
 */
public final class LoadGenerator {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETUP_DEADLINE = Duration.ofSeconds(60);
    private static final Duration REPORT_POLL = Duration.ofMillis(200);

    private final LoadPlan plan;
    private final HttpClient http;
    private final ApiRequests requests;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private LoadGenerator(LoadPlan plan, @Nullable ApiSigner signer) {
        this.plan = plan;
        this.requests = new ApiRequests(plan.url(), REQUEST_TIMEOUT, signer);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Runs {@code plan}, printing a line to {@code progress} as each phase starts and every 5 seconds while measuring. */
    public static LoadResult run(LoadPlan plan, Consumer<String> progress) throws InterruptedException {
        return run(plan, null, progress);
    }

    /** As {@link #run(LoadPlan, Consumer)}, every request signed by {@code signer} (SigV4) when there is one. */
    public static LoadResult run(LoadPlan plan, @Nullable ApiSigner signer, Consumer<String> progress) throws InterruptedException {
        return run(plan, signer, progress, MeasuredPeriod.NONE);
    }

    /** As {@link #run(LoadPlan, Consumer)}, telling {@code period} when the measured period starts and ends. */
    public static LoadResult run(LoadPlan plan, Consumer<String> progress, MeasuredPeriod period) throws InterruptedException {
        return run(plan, null, progress, period);
    }

    private static LoadResult run(LoadPlan plan, @Nullable ApiSigner signer, Consumer<String> progress, MeasuredPeriod period)
            throws InterruptedException {
        LoadGenerator generator = new LoadGenerator(plan, signer);
        try {
            return generator.run(progress, period);
        } finally {
            generator.http.close();
        }
    }

    private LoadResult run(Consumer<String> progress, MeasuredPeriod period) throws InterruptedException {
        progress.accept("%d workers: opening and funding their accounts".formatted(plan.concurrency()));
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < plan.concurrency(); i++) {
            workers.add(new Worker(i));
        }
        List<Thread> setups = workers.stream().map(worker -> Thread.ofPlatform().start(worker::setUp)).toList();
        for (Thread setup : setups) {
            setup.join();
        }
        for (Worker worker : workers) {
            if (worker.setupFailure != null) {
                throw new SetupException("could not set up load worker " + worker.index + " against " + plan.url() + ": " + worker.setupFailure);
            }
        }
        progress.accept("warm-up %d s, then %d s measured, mix %s".formatted(plan.warmup().toSeconds(), plan.duration().toSeconds(), plan.mix()));
        long measureFrom = System.nanoTime() + plan.warmup().toNanos();
        long measureUntil = measureFrom + plan.duration().toNanos();
        List<Thread> threads = workers.stream()
                .map(worker -> Thread.ofPlatform().name("load-" + worker.index).start(() -> worker.loop(measureFrom, measureUntil)))
                .toList();
        sleepUntil(measureFrom);
        period.started();
        long nextReport = measureFrom + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < measureUntil) {
            sleepUntil(Math.min(measureUntil, System.nanoTime() + REPORT_POLL.toNanos()));
            if (System.nanoTime() >= nextReport && System.nanoTime() < measureUntil) {
                long done = workers.stream().mapToLong(worker -> worker.measuredAnswers).sum();
                progress.accept("%d s measured, %d answers".formatted((System.nanoTime() - measureFrom) / 1_000_000_000, done));
                nextReport += Duration.ofSeconds(5).toNanos();
            }
        }
        period.ended();
        for (Thread thread : threads) {
            thread.join();
        }
        LoadResult result = new LoadResult(plan.duration());
        workers.forEach(worker -> result.add(worker.latencies, worker.failures));
        return result;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** Told, on the generator's own thread, when the measured period starts and ends: to measure something else over the same period. */
    public interface MeasuredPeriod {

        MeasuredPeriod NONE = new MeasuredPeriod() {
            @Override
            public void started() {
            }

            @Override
            public void ended() {
            }
        };

        void started();

        void ended();
    }

    /** One closed-loop client with an account of its own. */
    private final class Worker {

        private final int index;
        private final String accountId;
        private final String owner;
        private final Map<Operation, Histogram> latencies = new EnumMap<>(Operation.class);
        private final Map<Operation, Map<Integer, Long>> failures = new EnumMap<>(Operation.class);
        private volatile long measuredAnswers;
        private long orders;
        private long accounts;
        private volatile @Nullable String setupFailure;

        Worker(int index) {
            this.index = index;
            this.accountId = "a-load-" + runId + "-" + index;
            this.owner = "load-" + index;
        }

        void setUp() {
            try {
                expect(send(requests.openAccount(accountId, owner)), 201, "open account " + accountId);
                // Enough for every order the worker can place: the saga must be able to pay them.
                expect(send(requests.deposit(accountId, 100_000_000)), 200, "fund account " + accountId);
                long deadline = System.nanoTime() + SETUP_DEADLINE.toNanos();
                while (send(requests.readAccount(accountId)).statusCode() != 200) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the view of " + accountId + " was not readable within " + SETUP_DEADLINE.toSeconds() + " s");
                    }
                    Thread.sleep(50);
                }
            } catch (IOException | RuntimeException e) {
                setupFailure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                setupFailure = "interrupted";
            }
        }

        void loop(long measureFrom, long measureUntil) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (true) {
                long start = System.nanoTime();
                if (start >= measureUntil) {
                    return;
                }
                Operation operation = plan.mix().draw(random);
                int status;
                try {
                    status = send(request(operation)).statusCode();
                } catch (IOException | RuntimeException e) {
                    status = 0; // no answer: refused, reset, timed out, or a request the client could not send
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long end = System.nanoTime();
                if (start < measureFrom) {
                    continue;
                }
                measuredAnswers++;
                if (status == expectedStatus(operation)) {
                    latencies.computeIfAbsent(operation, key -> LoadResult.newHistogram())
                            .recordValue(Math.min((end - start) / 1000, LoadResult.HIGHEST_MICROS));
                } else {
                    failures.computeIfAbsent(operation, key -> new TreeMap<>()).merge(status, 1L, Long::sum);
                }
            }
        }

        private HttpRequest request(Operation operation) {
            return switch (operation) {
                case OPEN -> requests.openAccount("a-load-" + runId + "-" + index + "-" + ++accounts, owner);
                case DEPOSIT -> requests.deposit(accountId, 100);
                case READ -> requests.readAccount(accountId);
                case ORDER -> requests.placeOrder("o-load-" + runId + "-" + index + "-" + ++orders, owner, accountId, 100);
            };
        }

        private HttpResponse<Void> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.discarding());
        }
    }

    /** A worker could not open, fund or read its account: nothing was measured. */
    public static final class SetupException extends IllegalStateException {
        SetupException(String message) {
            super(message);
        }
    }

    /** The status a successful answer has: 201 for what creates a stream, 200 otherwise. */
    static int expectedStatus(Operation operation) {
        return switch (operation) {
            case OPEN, ORDER -> 201;
            case DEPOSIT, READ -> 200;
        };
    }

    private static void expect(HttpResponse<Void> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + response.statusCode());
        }
    }
}
