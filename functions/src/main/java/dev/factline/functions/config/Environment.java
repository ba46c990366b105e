package dev.factline.functions.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A function's settings, read from its environment the way the CDK stack and the local pipeline
 * both set them; a missing or malformed one stops the function at start with a message naming
 * the variable and what it must hold.
 */
public final class Environment {

    private final Function<String, @Nullable String> variables;

    private Environment(Function<String, @Nullable String> variables) {
        this.variables = Objects.requireNonNull(variables, "variables");
    }

    /** The process environment. */
    public static Environment system() {
        return new Environment(System::getenv);
    }

    /** Variables from {@code variables}, for tests. */
    public static Environment of(Function<String, @Nullable String> variables) {
        return new Environment(variables);
    }

    public Optional<String> optional(String name) {
        String value = variables.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** @param what what the function needs it for, e.g. "the name of the DynamoDB event table" */
    public String required(String name, String what) {
        return optional(name).orElseThrow(() -> new IllegalStateException(name + " is not set: the function needs " + what
                + " in its environment (the CDK stack and the local pipeline both set it)"));
    }

    public int nonNegativeInt(String name, int fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the variable's name
        }
        throw new IllegalStateException(name + " must be a whole number of 0 or more, but is '" + value.get() + "'");
    }

    /** A duration given in milliseconds, at least 1. */
    public Duration millis(String name, Duration fallback) {
        int millis = nonNegativeInt(name, (int) fallback.toMillis());
        if (millis == 0) {
            throw new IllegalStateException(name + " must be at least 1 (milliseconds), but is 0");
        }
        return Duration.ofMillis(millis);
    }

    /** An absolute URI, e.g. {@code rediss://cache.example:6379}. */
    public Optional<URI> uri(String name) {
        return optional(name).map(value -> {
            try {
                URI uri = new URI(value);
                if (!uri.isAbsolute() || uri.getHost() == null) {
                    throw new URISyntaxException(value, "needs a scheme and a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalStateException(name + " must be a URL such as redis://host:6379, but is '" + value + "': " + e.getReason(), e);
            }
        });
    }

    /**
     * A DynamoDB client configured the SDK's own way (region, endpoint such as
     * {@code AWS_ENDPOINT_URL_DYNAMODB}, credentials), on the URLConnection HTTP client, which
     * starts fastest; it connects on first use, so it is safe to build before a SnapStart snapshot.
     */
    public static DynamoDbClient dynamoDb(Duration attemptTimeout, Duration callTimeout) {
        return DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(configuration -> configuration
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(callTimeout))
                .build();
    }
}
