package dev.factline.functions.config;

import static dev.factline.functions.config.FunctionSettings.AWS_ACCESS_KEY_ID;
import static dev.factline.functions.config.FunctionSettings.AWS_ENDPOINT_URL;
import static dev.factline.functions.config.FunctionSettings.AWS_REGION;
import static dev.factline.functions.config.FunctionSettings.AWS_SECRET_ACCESS_KEY;
import static dev.factline.functions.config.FunctionSettings.AWS_SESSION_TOKEN;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * What a function is built from: its environment variables (read as {@link FunctionSettings}
 * declares them), the SDK clients configured from them, and who closes those clients.
 *
 * <p>On Lambda it is {@link #system() the process environment}, which the CDK stack set from the
 * topology. The local pipeline cannot set a process's variables, so it hands each function an
 * environment of its own ({@link #of(Map, Consumer)}): the same settings from the topology, the
 * emulators' endpoints in the SDK's variables, and a hook through which it closes the function's
 * clients when it stops. Either way the function is built by the same factory.
 */
public final class Environment {

    private final Function<String, @Nullable String> variables;
    private final Consumer<AutoCloseable> closeAtStop;

    private Environment(Function<String, @Nullable String> variables, Consumer<AutoCloseable> closeAtStop) {
        this.variables = Objects.requireNonNull(variables, "variables");
        this.closeAtStop = Objects.requireNonNull(closeAtStop, "closeAtStop");
    }

    /** The process environment, as Lambda gives it; clients live as long as the container. */
    public static Environment system() {
        return new Environment(System::getenv, client -> { });
    }

    /** Exactly {@code variables}; clients are never closed (a test's function lives as long as the test's JVM). */
    public static Environment of(Map<String, String> variables) {
        return of(variables, client -> { });
    }

    /**
     * Exactly {@code variables}, for a host that runs the function in its own JVM and stops it:
     * every client the function builds is handed to {@code closeAtStop}, to be closed when the host stops.
     */
    public static Environment of(Map<String, String> variables, Consumer<AutoCloseable> closeAtStop) {
        Map<String, String> copy = Map.copyOf(variables);
        return new Environment(copy::get, closeAtStop);
    }

    /**
     * The value of {@code setting}, or its default.
     *
     * @throws IllegalStateException naming the variable when it is missing (and has no default) or does not read
     */
    public <T> T get(Setting<T> setting) {
        return setting.readFrom(this);
    }

    /** A variable's text, stripped; a blank one counts as unset. */
    public Optional<String> optional(String name) {
        String value = variables.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** @param what what the function needs it for, e.g. "the name of the DynamoDB event table" */
    private String required(String name, String what) {
        return optional(name).orElseThrow(() -> notSet(name, what));
    }

    static IllegalStateException notSet(String name, String what) {
        return new IllegalStateException(name + " is not set: the function needs " + what
                + " in its environment (the CDK stack and the local pipeline both set it)");
    }

    /**
     * Hands a client the function built to the host that stops it, and returns it: the local
     * pipeline closes it when it stops; on Lambda nothing does, as the container's end ends it.
     */
    public <C extends AutoCloseable> C closedAtStop(C client) {
        closeAtStop.accept(client);
        return client;
    }

    /** A DynamoDB client configured from this environment the SDK's way (see {@link #configured}). */
    public DynamoDbClient dynamoDb(Duration attemptTimeout, Duration callTimeout) {
        return closedAtStop(configured(DynamoDbClient.builder(), FunctionSettings.AWS_ENDPOINT_URL_DYNAMODB, attemptTimeout, callTimeout, null)
                .httpClientBuilder(httpClient(attemptTimeout))
                .build());
    }

    /**
     * A Kinesis client configured from this environment the SDK's way (see {@link #configured}), without the
     * SDK's retries: its one caller, the publisher, retries failed calls itself, with its own backoff, and
     * counts and logs each ({@code PutRecordsEntriesRetried}, {@code PutRecordsEntriesRefused}); retries
     * inside the SDK would hide a stalled Kinesis behind one long call ("retried":0 for 14.3 s).
     */
    public KinesisClient kinesis(Duration attemptTimeout, Duration callTimeout) {
        return closedAtStop(configured(KinesisClient.builder(), FunctionSettings.AWS_ENDPOINT_URL_KINESIS, attemptTimeout, callTimeout,
                AwsRetryStrategy.doNotRetry())
                .httpClientBuilder(httpClient(attemptTimeout))
                .build());
    }

    /** A KMS client configured from this environment the SDK's way (see {@link #configured}). */
    public KmsClient kms(Duration attemptTimeout, Duration callTimeout) {
        return closedAtStop(configured(KmsClient.builder(), FunctionSettings.AWS_ENDPOINT_URL_KMS, attemptTimeout, callTimeout, null)
                .httpClientBuilder(httpClient(attemptTimeout))
                .build());
    }

    /**
     * An S3 client configured from this environment the SDK's way (see {@link #configured}), with
     * path-style addresses when an endpoint is given (a local S3 server answers on one host name),
     * checksums only where S3 requires them (the claim check is the payload's own digest), and no
     * aws-chunked uploads: the body is signed whole (a payload is a few MB at most), which every
     * S3-compatible server reads (s3rver stored the chunk signatures inside the object). Built on
     * first use by its caller (a function that never meets a large payload builds none), which also
     * closes it: the host is told of the caller, not of this client.
     */
    public S3Client s3(Duration attemptTimeout, Duration callTimeout) {
        boolean ownEndpoint = get(FunctionSettings.AWS_ENDPOINT_URL_S3).or(() -> get(AWS_ENDPOINT_URL)).isPresent();
        return configured(S3Client.builder(), FunctionSettings.AWS_ENDPOINT_URL_S3, attemptTimeout, callTimeout, null)
                .forcePathStyle(ownEndpoint)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(httpClient(attemptTimeout))
                .build();
    }

    /**
     * The URLConnection HTTP client, its connect and read timeouts at most the attempt's. The SDK's
     * attempt and call timeouts abort a request by closing its connection, which does not wake a
     * thread blocked reading from a server that accepted the request and answers nothing (a frozen
     * process, a half-open connection): a command then hung for the whole freeze (9.3 s through a
     * 9 s SIGSTOP of dynalite). The socket's own read timeout does wake it, so an attempt ends
     * within its timeout and the call within the SDK's retries of it.
     */
    private static UrlConnectionHttpClient.Builder httpClient(Duration attemptTimeout) {
        return UrlConnectionHttpClient.builder().connectionTimeout(attemptTimeout).socketTimeout(attemptTimeout);
    }

    /**
     * A client builder set up as the SDK sets itself up from the process environment, but from
     * these variables: the region from {@code AWS_REGION}; the endpoint from the service's own
     * variable ({@code AWS_ENDPOINT_URL_DYNAMODB}), else {@code AWS_ENDPOINT_URL}; credentials from
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN},
     * read when a call is signed. What is unset is left to the SDK's own defaults (on a SnapStart
     * function, whose environment holds no keys, the container's credentials). Clients built so
     * connect on first use and hold no credentials until then, so they are safe to build before
     * a SnapStart snapshot; the URLConnection HTTP client starts fastest.
     */
    private <B extends AwsClientBuilder<B, ?>> B configured(B builder, Setting<Optional<URI>> serviceEndpoint, Duration attemptTimeout,
            Duration callTimeout, @Nullable RetryStrategy retries) {
        get(AWS_REGION).map(Region::of).ifPresent(builder::region);
        get(serviceEndpoint).or(() -> get(AWS_ENDPOINT_URL)).ifPresent(builder::endpointOverride);
        if (get(AWS_ACCESS_KEY_ID).isPresent()) {
            AwsCredentialsProvider fromVariables = this::credentials;
            builder.credentialsProvider(fromVariables);
        }
        ClientOverrideConfiguration.Builder configuration = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(attemptTimeout)
                .apiCallTimeout(callTimeout);
        // null: the SDK's own retries for the service
        if (retries != null) {
            configuration.retryStrategy(retries);
        }
        return builder.overrideConfiguration(configuration.build());
    }

    private AwsCredentials credentials() {
        String accessKey = required(AWS_ACCESS_KEY_ID.name(), AWS_ACCESS_KEY_ID.meaning());
        String secretKey = required(AWS_SECRET_ACCESS_KEY.name(), AWS_SECRET_ACCESS_KEY.meaning());
        return get(AWS_SESSION_TOKEN)
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(accessKey, secretKey, token))
                .orElseGet(() -> AwsBasicCredentials.create(accessKey, secretKey));
    }
}
