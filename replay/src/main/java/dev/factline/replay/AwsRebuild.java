package dev.factline.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.rebuild.RebuildLedger.Checkpoint;
import dev.factline.functions.rebuild.RebuildLedger.RebuildRefusedException;
import dev.factline.functions.rebuild.RebuildStep;
import dev.factline.functions.rebuild.RebuildStep.RebuildInputException;
import dev.factline.functions.rebuild.RebuildTarget;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * A rebuild on AWS: an execution of the rebuild state machine (the CDK app's
 * {@code RebuildStateMachineArn}) started for one run, and followed until it ends, its progress
 * read from the run's checkpoints in the read table. The execution's name is the run's owner in
 * the ledger, and starts {@code <name>-<version>-}, so a run's executions can be found again.
 */
final class AwsRebuild {

    /** How an execution ended, and the exit code it means: 0 succeeded, 2 bad input, 3 refused, 1 anything else. */
    record Ending(String executionName, ExecutionStatus status, int exitCode, String detail) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final RebuildLedger ledger;

    AwsRebuild(SfnClient sfn, String stateMachineArn, RebuildLedger ledger) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
        this.stateMachineArn = Objects.requireNonNull(stateMachineArn, "stateMachineArn");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Starts an execution that rebuilds {@code target} in {@code segments}: its ARN.
     *
     * @throws IllegalArgumentException when there is no such state machine
     */
    String start(RebuildTarget target, int segments, int pageSize, Instant now) {
        ObjectNode input = JSON.createObjectNode()
                .put(RebuildStep.READ_MODEL, target.view().name())
                .put(RebuildStep.VERSION, target.view().version())
                .put(RebuildStep.SEGMENTS, segments)
                .put(RebuildStep.PAGE_SIZE, pageSize);
        String name = prefix(target) + STARTED.format(now) + "-" + UUID.randomUUID().toString().substring(0, 4);
        try {
            return sfn.startExecution(start -> start.stateMachineArn(stateMachineArn).name(name).input(input.toString())).executionArn();
        } catch (StateMachineDoesNotExistException missing) {
            throw new IllegalArgumentException("there is no state machine " + stateMachineArn + " (the stack's output RebuildStateMachineArn)", missing);
        }
    }

    /**
     * Follows {@code executionArn} until it ends, handing {@code progress} the run's checkpoints
     * every {@code every}; how it ended.
     */
    Ending follow(String executionArn, RebuildTarget target, int segments, Duration every, Consumer<List<Checkpoint>> progress)
            throws InterruptedException {
        while (true) {
            DescribeExecutionResponse execution = sfn.describeExecution(describe -> describe.executionArn(executionArn));
            progress.accept(ledger.checkpoints(target.space(), segments));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return ending(execution);
            }
            Thread.sleep(every);
        }
    }

    /** The newest execution of {@code target}'s rebuild on this state machine, if there was one. */
    Optional<ExecutionListItem> latest(RebuildTarget target) {
        try {
            return sfn.listExecutionsPaginator(list -> list.stateMachineArn(stateMachineArn)).executions().stream()
                    .filter(execution -> execution.name().startsWith(prefix(target)))
                    .max(Comparator.comparing(ExecutionListItem::startDate));
        } catch (StateMachineDoesNotExistException missing) {
            throw new IllegalArgumentException("there is no state machine " + stateMachineArn, missing);
        }
    }

    private static String prefix(RebuildTarget target) {
        return target.view().name() + "-" + target.view().version() + "-";
    }

    /** How an execution ended, as the command reports it: its exit code by the error's type, and the function's message. */
    static Ending ending(DescribeExecutionResponse execution) {
        if (execution.status() == ExecutionStatus.SUCCEEDED) {
            return new Ending(execution.name(), execution.status(), 0, "succeeded");
        }
        String error = execution.error() == null ? "" : execution.error();
        int exitCode = error.equals(RebuildInputException.class.getName()) ? Replay.BAD_INPUT
                : error.equals(RebuildRefusedException.class.getName()) ? Replay.REFUSED : Replay.FAILED;
        return new Ending(execution.name(), execution.status(), exitCode,
                execution.status() + (error.isEmpty() ? "" : " (" + error + ")") + messageOf(execution.cause()));
    }

    /** A Lambda error's cause is its JSON ({@code errorMessage}, {@code errorType}, {@code stackTrace}); a state's own, text. */
    private static String messageOf(@Nullable String cause) {
        if (cause == null || cause.isBlank()) {
            return "";
        }
        try {
            JsonNode parsed = JSON.readTree(cause);
            if (parsed != null && parsed.hasNonNull("errorMessage")) {
                return ": " + parsed.get("errorMessage").asText();
            }
        } catch (IOException notJson) {
            // a cause written by a state, not by Lambda: shown as it is
        }
        return ": " + cause;
    }
}
