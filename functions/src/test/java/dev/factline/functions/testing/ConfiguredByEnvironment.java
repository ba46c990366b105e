package dev.factline.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A handler run as Lambda runs it: in a JVM of its own, built with its public no-arg constructor,
 * so that its only configuration is its environment. {@link #run} starts that JVM (this one's
 * {@code java} and class path) on events given as JSON, and returns what it printed, stdout and
 * stderr together: for each event, the handler's answer as lines, {@code STATUS=}, {@code ETAG=}
 * and {@code BODY=} for an HTTP response, {@code FAILURES=} (the batch item failures) for a stream
 * batch; and whatever the handler logs, its metrics among them.
 *
 * <p>Besides the environment a test gives (the names of tables and streams, the SDK's endpoint
 * variables, which is how the local pipeline points a function at an emulator), the child gets a
 * region, dummy credentials and {@code AWS_EMF_ENVIRONMENT=Local}, which prints the metrics to
 * stdout. It inherits the rest of this JVM's environment, as the tests always ran it.
 */
public final class ConfiguredByEnvironment {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, String> AWS = Map.of(
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_EMF_ENVIRONMENT", "Local");

    private ConfiguredByEnvironment() {
    }

    /**
     * Builds {@code handler} in a JVM of its own with {@code environment}, has it answer each of
     * {@code events} (JSON, read as {@code eventType} by the official Lambda serializer) in turn,
     * and returns what the JVM printed once it has exited.
     */
    public static <E> String run(Class<? extends RequestHandler<E, ?>> handler, Class<E> eventType,
            Map<String, String> environment, List<String> events) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("configured-by-environment");
        List<Path> files = new ArrayList<>();
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    ConfiguredByEnvironment.class.getName(), handler.getName(), eventType.getName()));
            for (String event : events) {
                Path file = Files.writeString(directory.resolve("event-" + files.size() + ".json"), event, UTF_8);
                files.add(file);
                command.add(file.toString());
            }
            ProcessBuilder lambda = new ProcessBuilder(command).redirectErrorStream(true);
            lambda.environment().putAll(AWS);
            lambda.environment().putAll(environment);

            Process process = lambda.start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(handler.getSimpleName() + "'s JVM did not exit within "
                        + EXIT_TIMEOUT.toSeconds() + " s; it printed:\n" + output);
            }
            return output;
        } finally {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        }
    }

    /**
     * The child JVM: {@code handlerClass eventClass eventFile...}. Builds the handler once, with
     * its no-arg constructor, and prints its answer to each event.
     */
    public static void main(String[] args) throws Exception {
        Class<?> handlerType = Class.forName(args[0]);
        Class<?> eventType = Class.forName(args[1]);
        Object handler = handlerType.getConstructor().newInstance();
        Method handleRequest = handlerType.getMethod("handleRequest", eventType, Context.class);
        PojoSerializer<?> events = LambdaEventSerializers.serializerFor(eventType, ConfiguredByEnvironment.class.getClassLoader());
        for (String file : Arrays.asList(args).subList(2, args.length)) {
            Object event = events.fromJson(Files.readString(Path.of(file), UTF_8));
            Object response = handleRequest.invoke(handler, event, null);
            lines(response).forEach(System.out::println);
        }
    }

    private static List<String> lines(@Nullable Object response) {
        return switch (response) {
            case APIGatewayV2HTTPResponse http -> List.of(
                    "STATUS=" + http.getStatusCode(),
                    "ETAG=" + (http.getHeaders() == null ? null : http.getHeaders().get("ETag")),
                    "BODY=" + http.getBody());
            case StreamsEventResponse batch -> List.of("FAILURES=" + batch.getBatchItemFailures().size());
            case null, default -> throw new IllegalStateException("no lines for an answer of "
                    + (response == null ? "null" : response.getClass().getName()));
        };
    }
}
