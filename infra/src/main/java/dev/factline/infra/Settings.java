package dev.factline.infra;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.constructs.Node;

/**
 * How one deployment differs from another, read from CDK context ({@code cdk synth -c key=value}
 * or {@code cdk.json}'s {@code "context"}). Every key has a default, so a bare {@code cdk synth}
 * works:
 *
 * <table>
 *   <caption>Context keys</caption>
 *   <tr><th>key</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@value #STAGE}</td><td>{@value #DEFAULT_STAGE}</td>
 *       <td>names everything: resources start {@code factline-<stage>}, stacks {@code Factline-<stage>-Data} and {@code -Service}</td></tr>
 *   <tr><td>{@value #CACHE}</td><td>{@code true}</td>
 *       <td>an ElastiCache Serverless (Valkey) cache for the views; {@code false}: none, the read table serves every read</td></tr>
 *   <tr><td>{@value #JWT_ISSUER}, {@value #JWT_AUDIENCE}</td><td>unset</td>
 *       <td>both set: a JWT authorizer (audience comma-separated) on every route; unset: IAM (SigV4) authorization</td></tr>
 *   <tr><td>{@value #THROTTLE_RATE}, {@value #THROTTLE_BURST}</td><td>{@value #DEFAULT_THROTTLE_RATE}, {@value #DEFAULT_THROTTLE_BURST}</td>
 *       <td>the API stage's default throttling: requests per second, and burst</td></tr>
 *   <tr><td>{@value #LOCAL}</td><td>{@code false}</td>
 *       <td>the LocalStack variant: no VPC and no ElastiCache; tables and logs are removed with the stack</td></tr>
 *   <tr><td>{@value #REDIS_URL}</td><td>unset</td>
 *       <td>local variant only: the Redis the functions use ({@code redis://host:port}); unset, no cache</td></tr>
 *   <tr><td>{@value #FUNCTIONS_JAR}</td><td>{@value #DEFAULT_FUNCTIONS_JAR}</td>
 *       <td>the functions' uber jar, relative to {@code infra/} (where {@code cdk} runs)</td></tr>
 *   <tr><td>{@value #ALARM_EMAIL}</td><td>unset</td>
 *       <td>an address the alarms' topic emails (AWS asks it to confirm); unset: subscribe to the topic yourself</td></tr>
 *   <tr><td>{@value #OPEN_EXPLORER_PAGE}</td><td>{@code false}</td>
 *       <td>with a JWT authorizer only: the explorer's page (its three static files, no data) is served without authorization, so a
 *       browser can open it and send a pasted token on its reads; every other route keeps the authorizer</td></tr>
 * </table>
 */
public record Settings(
        String stage,
        boolean cache,
        Optional<Jwt> jwt,
        int throttleRateLimit,
        int throttleBurstLimit,
        boolean local,
        Optional<String> localRedisUrl,
        Path functionsJar,
        Optional<String> alarmEmail,
        boolean openExplorerPage) {

    public static final String STAGE = "stage";
    public static final String CACHE = "cache";
    public static final String JWT_ISSUER = "jwtIssuer";
    public static final String JWT_AUDIENCE = "jwtAudience";
    public static final String THROTTLE_RATE = "throttleRateLimit";
    public static final String THROTTLE_BURST = "throttleBurstLimit";
    public static final String LOCAL = "local";
    public static final String REDIS_URL = "redisUrl";
    public static final String FUNCTIONS_JAR = "functionsJar";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String OPEN_EXPLORER_PAGE = "openExplorerPage";

    public static final String DEFAULT_STAGE = "dev";
    public static final int DEFAULT_THROTTLE_RATE = 50;
    public static final int DEFAULT_THROTTLE_BURST = 100;
    /** Where {@code ./mvnw package} leaves the functions' uber jar, seen from {@code infra/}. */
    public static final String DEFAULT_FUNCTIONS_JAR = "../functions/target/functions-lambda.jar";

    /** Short enough that every name built from it fits its service's limit (a serverless cache's is 40). */
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    /** Enough to catch a typo before a deployment; SNS and the address's owner confirm the rest. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** A JWT authorizer's issuer URL and accepted audiences. */
    public record Jwt(String issuer, List<String> audience) {
        public Jwt {
            Objects.requireNonNull(issuer, "issuer");
            audience = List.copyOf(audience);
            if (audience.isEmpty()) {
                throw new IllegalArgumentException("a JWT authorizer needs at least one audience");
            }
        }
    }

    public Settings {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(localRedisUrl, "localRedisUrl");
        Objects.requireNonNull(functionsJar, "functionsJar");
        Objects.requireNonNull(alarmEmail, "alarmEmail");
        alarmEmail.ifPresent(address -> {
            if (!EMAIL.matcher(address).matches()) {
                throw new IllegalArgumentException("context " + ALARM_EMAIL + " must be an email address, not '" + address + "'");
            }
        });
        if (!STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("context " + STAGE + " must be 1-20 lowercase letters, digits or hyphens, "
                    + "starting with a letter (it names tables, streams and the cache), not '" + stage + "'");
        }
        if (throttleRateLimit < 1 || throttleBurstLimit < 1) {
            throw new IllegalArgumentException("API throttling limits must be positive, not " + throttleRateLimit + "/" + throttleBurstLimit);
        }
        if (openExplorerPage && jwt.isEmpty()) {
            throw new IllegalArgumentException("context " + OPEN_EXPLORER_PAGE + "=true needs a JWT authorizer (" + JWT_ISSUER + ", "
                    + JWT_AUDIENCE + "): under IAM authorization a browser cannot sign the page's reads, so an open page could read "
                    + "nothing; open it through a signing proxy instead (docs/decisions/event-explorer.md)");
        }
        if (localRedisUrl.isPresent() && !local) {
            throw new IllegalArgumentException("context " + REDIS_URL + " is for the local variant (-c " + LOCAL
                    + "=true); on AWS the stack creates the cache (context " + CACHE + ")");
        }
    }

    /** The defaults: stage {@code dev}, a cache, IAM authorization, on AWS. */
    public static Settings defaults() {
        return new Settings(DEFAULT_STAGE, true, Optional.empty(), DEFAULT_THROTTLE_RATE, DEFAULT_THROTTLE_BURST,
                false, Optional.empty(), Path.of(DEFAULT_FUNCTIONS_JAR), Optional.empty(), false);
    }

    /** The settings a CDK app's context gives, defaults filled in. */
    public static Settings fromContext(Node node) {
        Optional<String> issuer = text(node, JWT_ISSUER);
        Optional<String> audience = text(node, JWT_AUDIENCE);
        if (issuer.isPresent() != audience.isPresent()) {
            throw new IllegalArgumentException("a JWT authorizer needs both context " + JWT_ISSUER + " and " + JWT_AUDIENCE
                    + " (or neither, for IAM authorization)");
        }
        Optional<Jwt> jwt = issuer.map(url -> new Jwt(url, Arrays.stream(audience.orElseThrow().split(","))
                .map(String::strip).filter(value -> !value.isEmpty()).toList()));
        return new Settings(
                text(node, STAGE).orElse(DEFAULT_STAGE),
                flag(node, CACHE, true),
                jwt,
                number(node, THROTTLE_RATE, DEFAULT_THROTTLE_RATE),
                number(node, THROTTLE_BURST, DEFAULT_THROTTLE_BURST),
                flag(node, LOCAL, false),
                text(node, REDIS_URL),
                Path.of(text(node, FUNCTIONS_JAR).orElse(DEFAULT_FUNCTIONS_JAR)),
                text(node, ALARM_EMAIL),
                flag(node, OPEN_EXPLORER_PAGE, false));
    }

    /** What every resource name starts with: {@code factline-dev}. */
    public String prefix() {
        return "factline-" + stage;
    }

    /** {@code Factline-dev-Data}: stack names say the stage, so stages share an account. */
    public String stackName(String unit) {
        return "Factline-" + stage + "-" + unit;
    }

    /** Whether the stack creates an ElastiCache cache (on AWS, with {@code cache} on). */
    public boolean createsCache() {
        return cache && !local;
    }

    public Settings withStage(String newStage) {
        return new Settings(newStage, cache, jwt, throttleRateLimit, throttleBurstLimit, local, localRedisUrl, functionsJar, alarmEmail, openExplorerPage);
    }

    public Settings withCache(boolean on) {
        return new Settings(stage, on, jwt, throttleRateLimit, throttleBurstLimit, local, localRedisUrl, functionsJar, alarmEmail, openExplorerPage);
    }

    public Settings withJwt(Jwt authorizer) {
        return new Settings(stage, cache, Optional.of(authorizer), throttleRateLimit, throttleBurstLimit, local, localRedisUrl, functionsJar, alarmEmail, openExplorerPage);
    }

    /** The LocalStack variant, with the Redis its functions use, if any. */
    public Settings asLocal(Optional<String> redisUrl) {
        return new Settings(stage, cache, jwt, throttleRateLimit, throttleBurstLimit, true, redisUrl, functionsJar, alarmEmail, openExplorerPage);
    }

    public Settings withAlarmEmail(String address) {
        return new Settings(stage, cache, jwt, throttleRateLimit, throttleBurstLimit, local, localRedisUrl, functionsJar, Optional.of(address), openExplorerPage);
    }

    public Settings withFunctionsJar(Path jar) {
        return new Settings(stage, cache, jwt, throttleRateLimit, throttleBurstLimit, local, localRedisUrl, jar, alarmEmail, openExplorerPage);
    }

    public Settings withOpenExplorerPage(boolean open) {
        return new Settings(stage, cache, jwt, throttleRateLimit, throttleBurstLimit, local, localRedisUrl, functionsJar, alarmEmail, open);
    }

    private static Optional<String> text(Node node, String key) {
        @Nullable Object value = node.tryGetContext(key);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().strip());
    }

    private static boolean flag(Node node, String key, boolean otherwise) {
        return text(node, key).map(value -> switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("context " + key + " is true or false, not '" + value + "'");
        }).orElse(otherwise);
    }

    private static int number(Node node, String key, int otherwise) {
        return text(node, key).map(value -> {
            try {
                return (int) Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context " + key + " is a number, not '" + value + "'", e);
            }
        }).orElse(otherwise);
    }
}
