package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.emulators.NodeServer;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.topology.Topology;
import dev.factline.local.FactlineApi.Answer;
import dev.factline.local.HttpSampleFile.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keeps {@code samples/http/*.http} honest: every file is read ({@link HttpSampleFile}), its
 * requests sent in order to the pipeline the acceptance suite uses ({@link FactlineApi}), and each
 * answer checked against the status and problem type the request's {@code # expect} comment
 * declares. The file's {@code @baseUrl} becomes the pipeline's URL and {@code @run} a fresh value,
 * so every run has ids of its own.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
@ExtendWith(LocalStackTarget.class)
class HttpSamplesIT {

    private static final Duration SAGA = Duration.ofSeconds(20);
    private static final String PROBLEM = "application/problem+json";

    private static Path samples() {
        return NodeServer.repositoryRoot("samples/demo.sh").resolve("samples/http");
    }

    private static List<Path> files() {
        try (Stream<Path> files = Files.list(samples())) {
            return files.filter(file -> file.toString().endsWith(".http")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * HEAD is served by each GET route's reader, without the body; one sample shows it. The ANY
     * routes, which only answer 405, are the acceptance suite's.
     */
    @Test
    void the_samples_send_a_request_to_every_route_of_the_api() {
        List<String> sent = files().stream().map(HttpSampleFile::read)
                .flatMap(file -> file.requests().stream().map(request -> request.method() + " " + routeOf(request)))
                .toList();

        assertThat(sent).contains("HEAD /accounts/*").containsAll(Topology.standard("any").routes().stream().filter(route -> !route.anyMethod())
                .map(route -> route.key().replaceAll("\\{[^}/]+}", "*").replaceFirst("^HEAD ", "GET ")).toList());
    }

    /** The request's path with each segment that holds a variable as {@code *}, to compare with the API's route keys. */
    private static String routeOf(Request request) {
        String path = request.target().replace("{{baseUrl}}", "").replaceAll("\\?.*$", "");
        return path.replaceAll("[^/]*\\{\\{[^/]*", "*");
    }

    @TestFactory
    Stream<DynamicTest> every_sample_request_gets_the_answer_it_declares() {
        return files().stream().map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> sendAll(HttpSampleFile.read(path))));
    }

    private static void sendAll(HttpSampleFile file) {
        assertThat(file.requests()).as("requests in %s", file.path()).isNotEmpty();
        Map<String, String> variables = new HashMap<>(file.variables());
        assertThat(variables).as("the variables of %s", file.path().getFileName()).containsKeys("baseUrl", "run");
        variables.put("baseUrl", FactlineApi.url().toString());
        variables.put("run", UUID.randomUUID().toString().substring(0, 12));
        for (Request request : file.requests()) {
            HttpSampleFile.Expectation expected = request.expectation();
            String where = file.path().getFileName() + " " + request;
            Answer answer = expected.eventually()
                    ? FactlineApi.eventually(SAGA, () -> send(request, variables), sent -> sent.status() == expected.status())
                    : send(request, variables);
            assertThat(answer.status()).as("%s answered %s", where, answer).isEqualTo(expected.status());
            if (expected.problemType() != null) {
                assertThat(answer.header("content-type")).as(where).hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM));
                assertThat(answer.json().path("type").asText()).as("%s answered %s", where, answer)
                        .isEqualTo(ProblemType.BASE_URI + expected.problemType());
            }
        }
    }

    private static Answer send(Request request, Map<String, String> variables) {
        String body = HttpSampleFile.substitute(request.body(), variables);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(HttpSampleFile.substitute(request.target(), variables)))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, UTF_8));
        request.headers().forEach((name, value) -> builder.header(name, HttpSampleFile.substitute(value, variables)));
        return FactlineApi.send(builder);
    }
}
