package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.local.PipelineJvm.Finished;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrency N} on the pipeline as a user runs it ({@code Main} in its own JVM): refused
 * before anything starts when it is no number of containers, printed in the banner, and honoured:
 * concurrent requests run on more than one container of the function, never on more than N, and
 * the containers' separate warm memories of a stream never lose or overwrite a write.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ConcurrencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CONCURRENCY = 3;
    private static final int CLIENTS = 12;

    @Test
    void a_concurrency_that_is_no_number_of_containers_exits_2_before_anything_starts(@TempDir Path tmp) throws Exception {
        Finished refused = PipelineJvm.run(tmp, "0", "--data", tmp.resolve("state").toString(), "--concurrency", "0");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("factline-local: --concurrency must be a whole number of containers from 1 to 256, not 0",
                "usage: ./factline-local [port]", "--concurrency N");
        assertThat(refused.stdout()).doesNotContain("is up");
        assertThat(tmp.resolve("state")).doesNotExist();
    }

    @Test
    void concurrent_requests_run_on_up_to_n_containers_each_with_its_own_memory_and_no_write_is_lost(@TempDir Path tmp) throws Exception {
        try (PipelineJvm jvm = PipelineJvm.start(tmp, "0", "--in-memory", "--concurrency", Integer.toString(CONCURRENCY))) {
            assertThat(jvm.stdout()).anySatisfy(line -> assertThat(line)
                    .contains("concurrency", "up to " + CONCURRENCY + " containers per function", "each with its own warm state"));
            URI url = Objects.requireNonNull(jvm.url());
            String shared = "a-conc-" + UUID.randomUUID();
            assertThat(post(url, "/accounts", openAccount(shared)).statusCode()).isEqualTo(201);
            List<String> own = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                own.add("a-conc-" + UUID.randomUUID());
                assertThat(post(url, "/accounts", openAccount(own.get(i))).statusCode()).isEqualTo(201);
            }
            int acknowledged = 0;
            try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
                List<Future<Integer>> done = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    String account = own.get(client);
                    done.add(clients.submit(() -> {
                        int sharedDeposits = 0;
                        for (int i = 0; i < 10; i++) {
                            assertThat(post(url, "/accounts/" + account + "/deposits", deposit()).statusCode()).isEqualTo(200);
                            // Every client also writes the one shared stream, so containers that remember it go stale.
                            int status = post(url, "/accounts/" + shared + "/deposits", deposit()).statusCode();
                            assertThat(status).as("a deposit on the shared account").isIn(200, 409);
                            sharedDeposits += status == 200 ? 1 : 0;
                        }
                        return sharedDeposits;
                    }));
                }
                for (Future<Integer> client : done) {
                    acknowledged += client.get();
                }
            }
            JsonNode command = function(url, "command");
            assertThat(command.path("concurrency").asInt()).isEqualTo(CONCURRENCY);
            assertThat(command.path("containers").asInt()).isGreaterThan(1).isLessThanOrEqualTo(CONCURRENCY);
            assertThat(command.path("invocations").asLong()).isGreaterThanOrEqualTo(CLIENTS * 20L);
            assertThat(command.path("throttled").asLong()).isZero();
            // One more deposit lands right after every acknowledged one: each had a version of its own (opened at 1).
            HttpResponse<String> last = post(url, "/accounts/" + shared + "/deposits", deposit());
            assertThat(last.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(last.body()).path("version").asLong()).isEqualTo(1 + acknowledged + 1);
            assertThat(acknowledged).isPositive();
        }
    }

    private static JsonNode function(URI url, String name) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url.resolve("/_local/functions")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        for (JsonNode function : JSON.readTree(answer.body()).path("functions")) {
            if (function.path("function").asText().equals(name)) {
                return function;
            }
        }
        throw new AssertionError("GET /_local/functions lists no " + name + ": " + answer.body());
    }

    private static String openAccount(String id) {
        return "{\"accountId\":\"" + id + "\",\"ownerId\":\"concurrency\",\"currency\":\"EUR\"}";
    }

    private static String deposit() {
        return "{\"amount\":{\"minorUnits\":100,\"currency\":\"EUR\"}}";
    }

    private static HttpResponse<String> post(URI url, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
