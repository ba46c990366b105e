package dev.factline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A client of the HTTP API that records its history: every command it sends carries an
 * idempotency key and a correlation id of its own, and is retried (same key, same body) on a 5xx
 * or a broken connection, with backoff, for up to {@link #RETRY_BUDGET}, as a careful client does.
 * Each command becomes one {@link Sent}: its attempts' statuses and latencies, and, when it was
 * acknowledged (a 2xx), the ids of the events the answer names.
 */
final class LoadClient {

    static final Duration RETRY_BUDGET = Duration.ofSeconds(20);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One command and what became of it. {@code eventIds} is empty unless acknowledged. */
    record Sent(String phase, String kind, String stream, String idempotencyKey, String correlationId, List<Integer> statuses,
            List<Long> attemptMillis, @Nullable JsonNode answer) {

        boolean acknowledged() {
            return !statuses.isEmpty() && statuses.getLast() / 100 == 2;
        }

        List<String> eventIds() {
            List<String> ids = new ArrayList<>();
            if (acknowledged() && answer != null) {
                answer.path("events").forEach(event -> ids.add(event.path("eventId").asText()));
            }
            return ids;
        }
    }

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Queue<Sent> history = new ConcurrentLinkedQueue<>();
    private final List<String> accounts;
    private volatile String phase = "setup";

    LoadClient(URI url, List<String> accounts) {
        this.url = url;
        this.accounts = List.copyOf(accounts);
    }

    List<Sent> history() {
        return List.copyOf(history);
    }

    List<String> accounts() {
        return accounts;
    }

    void phase(String name) {
        phase = name;
    }

    Sent openAccount(String account) {
        return send("open", "account#" + account, "/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"fault\",\"currency\":\"EUR\"}",
                key(), correlation());
    }

    Sent deposit(String account, long minorUnits, String idempotencyKey, String correlationId) {
        return send("deposit", "account#" + account, "/accounts/" + account + "/deposits", "{\"amount\":" + money(minorUnits) + "}",
                idempotencyKey, correlationId);
    }

    /**
     * Runs {@code threads} workers until {@code running} is cleared: each sends, at random, a
     * deposit, a withdrawal or an order (which the saga pays from the account, or cancels).
     */
    List<Thread> start(int threads, AtomicBoolean running) {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Random random = new Random(i);
            workers.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                while (running.get()) {
                    String account = accounts.get(random.nextInt(accounts.size()));
                    int pick = random.nextInt(10);
                    if (pick < 5) {
                        deposit(account, 1 + random.nextInt(100), key(), correlation());
                    } else if (pick < 7) {
                        send("withdraw", "account#" + account, "/accounts/" + account + "/withdrawals",
                                "{\"amount\":" + money(1 + random.nextInt(60)) + "}", key(), correlation());
                    } else {
                        String order = "fault-order-" + UUID.randomUUID();
                        send("order", "order#" + order, "/orders", "{\"orderId\":\"" + order + "\",\"customerId\":\"fault\",\"accountId\":\""
                                + account + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"pen\",\"quantity\":1,\"unitPrice\":"
                                + money(1 + random.nextInt(80)) + "}]}", key(), correlation());
                    }
                }
            }));
        }
        return workers;
    }

    /** {@code threads} threads send one deposit with one key (and one correlation id) at the same moment. */
    List<Sent> race(String account, int threads) throws InterruptedException {
        String key = key();
        String correlation = correlation();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        Queue<Sent> raced = new ConcurrentLinkedQueue<>();
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            racers.add(Thread.ofPlatform().start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                raced.add(deposit(account, 7, key, correlation));
            }));
        }
        ready.await();
        go.countDown();
        for (Thread racer : racers) {
            racer.join();
        }
        return List.copyOf(raced);
    }

    private Sent send(String kind, String stream, String path, String body, String idempotencyKey, String correlationId) {
        List<Integer> statuses = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        @Nullable JsonNode answer = null;
        String sentIn = phase;
        long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
        long backoff = 100;
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(url.resolve(path)).timeout(ATTEMPT_TIMEOUT)
                    .header("content-type", "application/json").header("Idempotency-Key", idempotencyKey)
                    .header("X-Correlation-Id", correlationId).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long started = System.nanoTime();
            int status;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status / 100 == 2) {
                    answer = JSON.readTree(response.body());
                }
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            statuses.add(status);
            millis.add((System.nanoTime() - started) / 1_000_000);
            boolean retriable = status == 0 || status / 100 == 5;
            if (!retriable || System.nanoTime() - deadline > 0) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = Math.min(backoff * 2, 1000);
        }
        Sent sent = new Sent(sentIn, kind, stream, idempotencyKey, correlationId, List.copyOf(statuses), List.copyOf(millis), answer);
        history.add(sent);
        return sent;
    }

    private static String money(long minorUnits) {
        return "{\"minorUnits\":" + minorUnits + ",\"currency\":\"EUR\"}";
    }

    private static String key() {
        return "fault-" + UUID.randomUUID();
    }

    private static String correlation() {
        return "corr-" + UUID.randomUUID();
    }
}
