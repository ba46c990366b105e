package dev.factline.replay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One call to a running local pipeline's {@code /_local/} routes: its body, or a plain answer why there is none. */
final class LocalPipelineCalls {

    private LocalPipelineCalls() {
    }

    /**
     * The body {@code pipeline} answers {@code method path} with.
     *
     * @throws IllegalArgumentException when no pipeline answers there, or it answers other than 200
     */
    static String call(URI pipeline, String method, String path, Duration timeout) throws InterruptedException {
        URI url = pipeline.resolve(path);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException(url + " answered " + response.statusCode() + ": is a local pipeline running there?");
            }
            return response.body();
        } catch (IOException unreachable) {
            throw new IllegalArgumentException("no local pipeline answers at " + pipeline + " ("
                    + (unreachable.getMessage() == null ? unreachable.getClass().getSimpleName() : unreachable.getMessage())
                    + "): start it with ./factline-local", unreachable);
        }
    }
}
