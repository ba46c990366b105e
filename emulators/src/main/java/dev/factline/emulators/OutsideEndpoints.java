package dev.factline.emulators;

import dev.factline.emulators.NodeServer.Emulator;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * DynamoDB, DynamoDB Streams and Kinesis endpoints that the integration suites use instead of the
 * emulators they start themselves (dynalite, kinesalite): the one switch that points every suite,
 * and the local pipeline its tests start, at another implementation.
 *
 * <p>{@link #selected()} reads, in this order:
 * <ul>
 *   <li>the system property {@code factline.backend=moto} (the build's second run): a moto_server
 *       started for this JVM on a free port ({@code tools/moto-server.js}), stopped with it. Where
 *       there is no moto_server it throws {@link UnavailableException}, which the test fixtures turn
 *       into a skipped test that gives the reason;</li>
 *   <li>{@code FACTLINE_ENDPOINT}: one URL for all three services (moto serves them on one port), each
 *       overridable by {@code FACTLINE_DYNAMODB_ENDPOINT}, {@code FACTLINE_STREAMS_ENDPOINT} and
 *       {@code FACTLINE_KINESIS_ENDPOINT}; set one of those and all three must be known;</li>
 *   <li>nothing set: empty, and each suite starts its emulators as before.</li>
 * </ul>
 * Clients for these endpoints use region us-east-1 and credentials from the SDK's default chain, or
 * dummy ones where it finds none (emulators accept any).
 */
public record OutsideEndpoints(URI dynamoDb, URI streams, URI kinesis, boolean isMoto) {

    public static final String BACKEND_PROPERTY = "factline.backend";
    public static final String ALL = "FACTLINE_ENDPOINT";
    public static final String DYNAMODB = "FACTLINE_DYNAMODB_ENDPOINT";
    public static final String STREAMS = "FACTLINE_STREAMS_ENDPOINT";
    public static final String KINESIS = "FACTLINE_KINESIS_ENDPOINT";
    private static final Emulator MOTO = new Emulator("moto", "DynamoDB, Streams and Kinesis");
    private static final NodeServer.PerJvm<NodeServer> MOTO_SERVER = new NodeServer.PerJvm<>(OutsideEndpoints::startMoto,
            server -> server.stop(() -> { }), "moto-shutdown");
    private static final AwsCredentialsProviderChain CREDENTIALS = AwsCredentialsProviderChain.builder()
            .credentialsProviders(DefaultCredentialsProvider.builder().build(), StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();

    /** Why the outside endpoints that were asked for cannot be had; a test fixture skips its test with this message. */
    public static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    /** The endpoints this JVM's suites should use, or empty for their own emulators; see the class comment. */
    public static Optional<OutsideEndpoints> selected() {
        return select(System.getProperty(BACKEND_PROPERTY, ""), System.getenv());
    }

    static Optional<OutsideEndpoints> select(String backend, Map<String, String> environment) {
        switch (backend) {
            case "" -> { }
            case "moto" -> {
                URI moto = MOTO_SERVER.get().endpoint();
                return Optional.of(new OutsideEndpoints(moto, moto, moto, true));
            }
            default -> throw new IllegalArgumentException(BACKEND_PROPERTY + " must be moto or unset, not \"" + backend + "\"");
        }
        @Nullable URI all = uri(environment, ALL);
        @Nullable URI dynamoDb = or(uri(environment, DYNAMODB), all);
        @Nullable URI streams = or(uri(environment, STREAMS), or(all, dynamoDb));
        @Nullable URI kinesis = or(uri(environment, KINESIS), all);
        if (dynamoDb == null && streams == null && kinesis == null) {
            return Optional.empty();
        }
        if (dynamoDb == null || streams == null || kinesis == null) {
            throw new IllegalArgumentException("set " + ALL + " (one URL for DynamoDB, Streams and Kinesis), or " + DYNAMODB + " and " + KINESIS
                    + " (and " + STREAMS + " when Streams answers elsewhere than DynamoDB); only some of them are set");
        }
        return Optional.of(new OutsideEndpoints(dynamoDb, streams, kinesis, answersLikeMoto(dynamoDb)));
    }

    /**
     * Sets up an SDK client builder for {@code endpoint}: region us-east-1, the default credentials
     * chain (dummy credentials where it finds none), the URLConnection HTTP client.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /** What these endpoints are, for a log line. */
    public String describe() {
        String which = isMoto ? "moto" : "outside endpoints";
        return dynamoDb.equals(kinesis) && dynamoDb.equals(streams) ? which + " at " + dynamoDb
                : which + ": DynamoDB " + dynamoDb + ", Streams " + streams + ", Kinesis " + kinesis;
    }

    private static @Nullable URI or(@Nullable URI first, @Nullable URI second) {
        return first != null ? first : second;
    }

    private static @Nullable URI uri(Map<String, String> environment, String name) {
        String value = environment.getOrDefault(name, "").strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an endpoint URL such as http://127.0.0.1:5000, not \"" + value + "\" ("
                    + e.getReason() + ")", e);
        }
    }

    /** moto answers {@code GET /moto-api/} with its dashboard; no other server here does. */
    private static boolean answersLikeMoto(URI endpoint) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static NodeServer startMoto() {
        Path root = NodeServer.repositoryRoot("tools/moto-server.js");
        Optional<Path> binary = onPath("moto_server");
        if (binary.isEmpty()) {
            throw new UnavailableException("no moto_server on the PATH (moto is a Python package: pip install 'moto[server]'), so the"
                    + " moto runs (the store contract and the acceptance suite) are skipped: nothing was tested against moto");
        }
        return NodeServer.start("node", root.resolve("tools/moto-server.js"), 0, Map.of("MOTO_SERVER", binary.get().toString()), MOTO, server -> server);
    }

    private static Optional<Path> onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
