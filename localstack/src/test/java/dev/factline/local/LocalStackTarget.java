package dev.factline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code -Plocalstack} mode of the acceptance suite: the profile sets the system property
 * {@code factline.target=localstack}. Outside it this condition lets every test run as before
 * (embedded pipeline, or {@code FACTLINE_API_URL}). In it, without a Docker engine, the suite is
 * skipped with the reason (LocalStack cannot run, so nothing was tested against it); with one, the
 * API URL is {@code FACTLINE_API_URL} or the {@code ApiUrl} in the outputs that
 * {@code localstack/deploy-localstack.sh} wrote, and a missing deployment fails the tests.
 */
final class LocalStackTarget implements ExecutionCondition {

    static final String TARGET_PROPERTY = "factline.target";
    static final String OUTPUTS_PROPERTY = "factline.localstack.outputs";

    private static volatile Optional<String> noDockerReason;

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
