package dev.factline.local;

import cloud.localstack.Localstack;
import cloud.localstack.docker.LocalstackDockerExtension;
import cloud.localstack.docker.annotation.IBindMountProvider;
import cloud.localstack.docker.annotation.IEnvironmentVariableProvider;
import cloud.localstack.docker.annotation.LocalstackDockerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code -Plocalstack} mode of the acceptance suite: the profile sets the system property
 * {@code factline.target=localstack}. Outside it this extension lets every test run as before
 * (embedded pipeline, or {@code FACTLINE_API_URL}) and starts nothing. In it:
 *
 * <ul>
 *   <li>without a Docker engine the suite is skipped with the reason, naming what is missing (LocalStack
 *       cannot run, so nothing was tested against it); the condition is evaluated before any callback,
 *       so LocalStack's own extension, which would fail at its first {@code docker} command, never runs;
 *   <li>with one and a LocalStack already answering on port 4566 (started with {@code docker-compose.yml}
 *       and deployed to by {@code localstack/deploy-localstack.sh}), the suite runs against that deployment;
 *   <li>with one and no LocalStack running, LocalStack's JUnit 5 extension
 *       ({@link LocalstackDockerExtension}, localstack-utils) starts the container the test class describes ({@link LocalstackDockerProperties}: the image
 *       of {@code docker-compose.yml}, {@link #SERVICES}, one container for the whole run, stopped when
 *       the run ends); then, unless {@code FACTLINE_API_URL} names a deployment already, the CDK app is
 *       deployed to it once by {@code localstack/deploy-localstack.sh} (with {@code FACTLINE_SKIP_BUILD=1}:
 *       build the jars first), and the API URL is the {@code ApiUrl} of the outputs it wrote.
 * </ul>
 */
final class LocalStackTarget implements ExecutionCondition, BeforeAllCallback {

    static final String TARGET_PROPERTY = "factline.target";
    static final String OUTPUTS_PROPERTY = "factline.localstack.outputs";
    /** The LocalStack image of {@code docker-compose.yml}. */
    static final String IMAGE_TAG = "4.4.0";
    /** The services the CDK app's local variant deploys to, as {@code docker-compose.yml} lists them. */
    static final String SERVICES = "dynamodb,dynamodbstreams,kinesis,lambda,apigateway,sqs,iam,logs,cloudformation,ssm,s3,sts,cloudwatch";
    private static final Duration DEPLOY_LIMIT = Duration.ofMinutes(20);
    /** Where {@code docker-compose.yml} publishes LocalStack, and where the extension's container listens too. */
    private static final URI COMPOSE_LOCALSTACK = URI.create("http://localhost:4566");

    private static volatile Optional<String> noDockerReason;
    private static boolean deployed;

    static boolean active() {
        return "localstack".equals(System.getProperty(TARGET_PROPERTY));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!active()) {
            return ConditionEvaluationResult.enabled("not in -Plocalstack mode");
        }
        return noDocker()
                .map(reason -> ConditionEvaluationResult.disabled("-Plocalstack: " + reason
                        + "; LocalStack cannot run without one, so the acceptance suite was not run against it"))
                .orElseGet(() -> ConditionEvaluationResult.enabled("-Plocalstack: a Docker engine answers"));
    }

    /**
     * Starts LocalStack through its own extension and deploys to it, once per run; only for a class
     * that carries {@link LocalstackDockerProperties} (its nested classes share the container).
     */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!active() || !context.getRequiredTestClass().isAnnotationPresent(LocalstackDockerProperties.class) || answers(COMPOSE_LOCALSTACK)) {
            return;
        }
        new LocalstackDockerExtension().beforeAll(context);
        deployOnce(URI.create("http://localhost:" + Localstack.INSTANCE.getEdgePort()));
    }

    /** Whether a LocalStack answers its health check at {@code localstack}: one that docker compose started is used as it is. */
    private static boolean answers(URI localstack) {
        HttpRequest health = HttpRequest.newBuilder(localstack.resolve("/_localstack/health")).timeout(Duration.ofSeconds(5)).build();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return client.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"services\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static synchronized void deployOnce(URI localstack) throws IOException, InterruptedException {
        String apiUrl = System.getenv("FACTLINE_API_URL");
        if (deployed || (apiUrl != null && !apiUrl.isBlank())) {
            return;
        }
        ProcessBuilder deploy = new ProcessBuilder("localstack/deploy-localstack.sh").directory(repositoryRoot().toFile()).inheritIO();
        deploy.environment().put("LOCALSTACK_URL", localstack.toString());
        deploy.environment().put("FACTLINE_SKIP_BUILD", "1");
        Process process = deploy.start();
        if (!process.waitFor(DEPLOY_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("-Plocalstack: deploy-localstack.sh did not finish within " + DEPLOY_LIMIT.toMinutes() + " minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("-Plocalstack: deploy-localstack.sh exited " + process.exitValue() + " (its reason is above)");
        }
        deployed = true;
    }

    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("localstack/deploy-localstack.sh")) ? here : here.getParent();
    }

    /** What LocalStack's container gets besides the services, as {@code docker-compose.yml} gives it. */
    public static final class Environment implements IEnvironmentVariableProvider {
        @Override
        public Map<String, String> getEnvironmentVariables() {
            Map<String, String> variables = new HashMap<>();
            // The functions' jar is large and Java cold starts are slow under emulation.
            variables.put("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "60");
            Optional.ofNullable(System.getenv("LOCALSTACK_AUTH_TOKEN")).ifPresent(token -> variables.put("LOCALSTACK_AUTH_TOKEN", token));
            return variables;
        }
    }

    /** The Docker socket, through which LocalStack starts each Lambda function as a container of its own. */
    public static final class DockerSocket extends IBindMountProvider.BaseBindMountProvider {
        @Override
        protected void initValues(Map<String, String> mounts) {
            mounts.put("/var/run/docker.sock", "/var/run/docker.sock");
        }
    }

    /** Why there is no Docker engine to run LocalStack, or empty when {@code docker info} answers. */
    static synchronized Optional<String> noDocker() {
        if (noDockerReason == null) {
            noDockerReason = probeDocker();
        }
        return noDockerReason;
    }

    private static Optional<String> probeDocker() {
        Process process;
        try {
            process = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}").redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.of("no docker command on the PATH (" + e.getMessage() + ")");
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("no Docker engine: `docker info` did not answer within 20 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                String said = output.lines().filter(line -> !line.isBlank()).reduce((first, last) -> last).orElse("no output");
                return Optional.of("no Docker engine: `docker info` exited " + process.exitValue() + ": " + said);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("no Docker engine: `docker info` could not be read (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("no Docker engine: interrupted while asking `docker info`");
        }
    }

    /** The deployed API's base URL, from the outputs file of {@code deploy-localstack.sh}. */
    static URI deployedApiUrl() {
        String configured = System.getProperty(OUTPUTS_PROPERTY, "target/localstack-outputs.json");
        Path outputs = Path.of(configured);
        if (!Files.isRegularFile(outputs)) {
            throw new IllegalStateException("-Plocalstack: no deployment to test: " + outputs.toAbsolutePath()
                    + " does not exist and FACTLINE_API_URL is unset. Start LocalStack"
                    + " (docker compose -f localstack/docker-compose.yml up -d), then run localstack/deploy-localstack.sh");
        }
        try {
            JsonNode stacks = new ObjectMapper().readTree(outputs.toFile());
            for (JsonNode stack : stacks) {
                String url = stack.path("ApiUrl").asText("");
                if (!url.isBlank()) {
                    return URI.create(url.replaceAll("/+$", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("-Plocalstack: cannot read " + outputs.toAbsolutePath(), e);
        }
        throw new IllegalStateException("-Plocalstack: no ApiUrl among the stack outputs in " + outputs.toAbsolutePath()
                + "; redeploy with localstack/deploy-localstack.sh");
    }
}
