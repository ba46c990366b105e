package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API under test, and nothing else: {@code FACTLINE_API_URL} when set (LocalStack, a
 * deployment), else in {@code -Plocalstack} mode the {@code ApiUrl} that
 * {@code localstack/deploy-localstack.sh} wrote ({@link LocalStackTarget}), else the embedded
 * pipeline, started once per JVM and stopped with it.
 */
final class FactlineApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static @Nullable LocalPipeline embedded;
    private static @Nullable URI base;

    /** A response: status, headers, body text and the body as JSON (null when not JSON). */
    record Answer(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    private FactlineApi() {
    }

    static synchronized URI url() {
        if (base == null) {
            String configured = System.getenv("FACTLINE_API_URL");
            if (configured != null && !configured.isBlank()) {
                base = URI.create(configured.replaceAll("/+$", ""));
            } else if (LocalStackTarget.active()) {
                base = LocalStackTarget.deployedApiUrl();
            } else {
                base = embedded().url();
            }
        }
        return base;
    }

    /** The embedded pipeline of this JVM, for tests of the local triggers themselves. */
    static synchronized LocalPipeline embedded() {
        if (embedded == null) {
            LocalPipeline started = LocalPipeline.start(LocalPipeline.Options.defaults().withRetryBackoff(Duration.ofMillis(50)));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-pipeline-shutdown"));
            embedded = started;
        }
        return embedded;
    }

    static boolean isEmbedded() {
        String configured = System.getenv("FACTLINE_API_URL");
        return (configured == null || configured.isBlank()) && !LocalStackTarget.active();
    }

    static Answer get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    static Answer post(String path, String json, String... headers) {
        return send(request(path, headers).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, UTF_8)));
    }

    /** {@code method} on {@code path}, without a body. */
    static Answer call(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    static Answer postRaw(String path, String contentType, String body) {
        return send(request(path).header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)));
    }

    private static HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks until {@code done} holds, every 100 ms, and fails with the last answer after {@code within}: never a fixed sleep. */
    static <T> T eventually(Duration within, Supplier<T> ask, Predicate<T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = ask.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not so within " + within.toMillis() + " ms; last: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = ask.get();
        }
        return last;
    }
}
