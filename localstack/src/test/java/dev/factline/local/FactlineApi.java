package dev.factline.local;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import dev.factline.emulators.OutsideEndpoints;
import dev.factline.functions.testing.SelectedEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API under test, and nothing else: {@code FACTLINE_API_URL} when set (LocalStack, a
 * deployment), else in {@code -Plocalstack} mode the {@code ApiUrl} that
 * {@code localstack/deploy-localstack.sh} wrote ({@link LocalStackTarget}), else the embedded
 * pipeline, started once per JVM and stopped with it.
 *
 * <p>Signed requests: a URL from outside is signed (SigV4, {@link ApiSigner}, credentials and region
 * from the SDK's default chains) when {@code FACTLINE_API_AUTH=iam}; the embedded pipeline
 * requires signatures, by a key pair of its own that this client signs with, when the system
 * property {@code factline.auth=iam} is set (the build's signed run). The embedded pipeline runs on
 * {@link OutsideEndpoints#selected()} when they are set (moto, another server), else on its own emulators.
 */
final class FactlineApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String AUTH_PROPERTY = "factline.auth";
    private static @Nullable LocalPipeline embedded;
    private static @Nullable URI base;
    private static @Nullable ApiSigner signer;

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

    /** A response read off a socket: status, headers (names in lower case) and body. */
    record RawAnswer(int status, Map<String, String> headers, String body) {
    }

    private FactlineApi() {
    }

    static synchronized URI url() {
        if (base == null) {
            String configured = System.getenv("FACTLINE_API_URL");
            if (configured != null && !configured.isBlank()) {
                base = URI.create(configured.replaceAll("/+$", ""));
                signer = ApiSigner.wanted(System.getenv()) ? ApiSigner.fromDefaultChains() : null;
            } else if (LocalStackTarget.active()) {
                base = LocalStackTarget.deployedApiUrl();
                signer = ApiSigner.wanted(System.getenv()) ? ApiSigner.fromDefaultChains() : null;
            } else {
                base = embedded().url();
            }
        }
        return base;
    }

    /** The embedded pipeline of this JVM, for tests of the local triggers themselves. */
    static synchronized LocalPipeline embedded() {
        if (embedded == null) {
            LocalPipeline.Options options = pipelineOptions();
            if (signedEmbedded()) {
                LocalCredentials credentials = LocalCredentials.generate();
                options = options.withIam(credentials);
                signer = new ApiSigner(credentials.provider(), LocalEnvironment.REGION, Clock.systemUTC());
            }
            LocalPipeline started = LocalPipeline.start(options);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-pipeline-shutdown"));
            embedded = started;
        }
        return embedded;
    }

    /**
     * How a test's pipeline starts: a short retry backoff, containers per function as the command
     * line's default makes them, and on the outside endpoints when they are selected, with tables
     * and a stream of this run's own names (the endpoint may hold others').
     */
    static LocalPipeline.Options pipelineOptions() {
        LocalPipeline.Options options = LocalPipeline.Options.defaults().withRetryBackoff(Duration.ofMillis(50));
        Optional<OutsideEndpoints> outside = SelectedEndpoints.orSkip();
        if (outside.isEmpty()) {
            return options;
        }
        System.out.println("[acceptance] the pipeline runs on " + outside.get().describe());
        return options.withEndpoints(outside.get()).withPrefix("factline-it-" + Long.toString(System.nanoTime(), 36));
    }

    /** Whether the embedded pipeline wants signed requests ({@code -Dfactline.auth=iam}). */
    static boolean signedEmbedded() {
        return "iam".equals(System.getProperty(AUTH_PROPERTY));
    }

    /** Whether requests to the API under test are signed. */
    static synchronized boolean signs() {
        url();
        return signer != null;
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

    /** {@code method path} on the API at {@code url}, with a JSON body or none (10 s at most). */
    static Answer send(URI url, String method, String path, @Nullable String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("content-type", "application/json");
        }
        return send(request);
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpRequest sent = signed(request.build());
            HttpResponse<String> response = HTTP.send(sent, HttpResponse.BodyHandlers.ofString(UTF_8));
            requireDocumented(new ApiContract.Exchange(sent.method(), sent.uri().toString().substring(url().toString().length()),
                    response.statusCode(), response.headers()::firstValue, response.body()));
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code request} with the signature headers when the API under test wants them, else as it is. */
    private static HttpRequest signed(HttpRequest request) {
        url();
        @Nullable ApiSigner signing = signer;
        if (signing == null) {
            return request;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        request.headers().map().forEach((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
        HttpRequest.Builder signedRequest = HttpRequest.newBuilder(request, (name, value) -> true);
        signing.signatureHeaders(request.method(), request.uri(), headers, bodyOf(request)).forEach(signedRequest::header);
        return signedRequest.build();
    }

    /** The bytes {@code request}'s body publisher gives (the suite's bodies are in memory, so this returns at once). */
    private static byte[] bodyOf(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(bytes.toByteArray());
            }
        });
        return done.orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Fails the test that got {@code exchange} when the OpenAPI document does not allow it, naming why. */
    private static void requireDocumented(ApiContract.Exchange exchange) {
        List<String> violations = ApiContract.violations(exchange);
        if (!violations.isEmpty()) {
            throw new AssertionError("the answer to " + exchange.method() + " " + exchange.path()
                    + " is not what openapi.json documents:\n  " + String.join("\n  ", violations));
        }
    }

    /**
     * {@code request}'s bytes as they are, on a connection of their own (TLS for an https URL), for
     * what java.net.http and curl refuse to send; every response until the server closes the
     * connection, so the last request should ask it to.
     */
    static List<RawAnswer> sendRaw(URI base, byte[] request) {
        boolean tls = base.getScheme().equals("https");
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket(base.getHost(), port) : new Socket(base.getHost(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return rawAnswers(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request line and {@code Host} to the API under test, the connection closed after it. */
    static RawAnswer sendRaw(String method, byte[] target) {
        URI base = url();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " ").getBytes(ISO_8859_1));
        request.writeBytes(target);
        request.writeBytes((" HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
        List<RawAnswer> answers = sendRaw(base, request.toByteArray());
        if (answers.size() != 1) {
            throw new AssertionError("one answer expected, got " + answers);
        }
        RawAnswer answer = answers.getFirst();
        requireDocumented(new ApiContract.Exchange(method, new String(target, ISO_8859_1), answer.status(),
                name -> Optional.ofNullable(answer.headers().get(name.toLowerCase(Locale.ROOT))), answer.body()));
        return answer;
    }

    private static List<RawAnswer> rawAnswers(byte[] bytes) {
        String text = new String(bytes, ISO_8859_1);
        List<RawAnswer> answers = new ArrayList<>();
        for (int at = 0; at < text.length(); ) {
            int end = text.indexOf("\r\n\r\n", at);
            if (end < 0) {
                throw new AssertionError("not an HTTP response: " + text.substring(at));
            }
            String[] lines = text.substring(at, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : Arrays.asList(lines).subList(1, lines.length)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            if (status == 100) {
                at = end + 4;
                continue;
            }
            int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : text.length() - end - 4;
            answers.add(new RawAnswer(status, headers, new String(bytes, end + 4, length, UTF_8)));
            at = end + 4 + length;
        }
        return answers;
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
