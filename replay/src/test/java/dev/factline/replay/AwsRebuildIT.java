package dev.factline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.AccountView;
import dev.factline.emulators.InvocationContext;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.functions.rebuild.RebuildFunction;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.rebuild.RebuildStep;
import dev.factline.functions.testing.EventHistory;
import dev.factline.functions.testing.LocalDynamo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * {@code factline-replay rebuild --aws} against real servers: Step Functions' API on moto (its
 * executions run Wait, Pass and Fail states; a Lambda task would need Docker), the ledger and the
 * tables on dynalite. While a stand-in state machine waits, the test does what the real one's
 * Lambda steps do: it invokes the rebuild function with the execution's input and name, so the
 * tool follows an execution whose run really moves in the ledger. A failed execution's error is
 * the one the function would throw, and the tool's exit code follows from it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwsRebuildIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/factline-test-rebuild";
    private static MotoServer moto;
    private static SfnClient sfn;

    private final LocalDynamo dynamo = LocalDynamo.shared();
    private final EventHistory history = EventHistory.create(dynamo, "aws-rebuild");

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        sfn = moto.sfn();
    }

    @AfterAll
    static void stop() throws Exception {
        sfn.close();
        moto.close();
    }

    @AfterEach
    void drop() {
        history.close();
    }

    /** A state machine on moto with {@code states} (Amazon States Language) that starts at {@code Start}. */
    private String stateMachine(String states) {
        return sfn.createStateMachine(create -> create.name("rebuild-" + System.nanoTime()).roleArn(ROLE)
                .definition("{\"StartAt\":\"Start\",\"States\":" + states + "}")).stateMachineArn();
    }

    private Run replay(String... words) {
        List<String> args = new ArrayList<>(List.of("--read-models", TwoAccountViews.class.getName()));
        args.addAll(List.of(words));
        args.addAll(List.of("--sfn-endpoint-url", moto.endpoint().toString(), "--endpoint-url", dynamo.endpoint().toString(),
                "--event-table", history.eventTable().name(), "--read-table", history.readTable().name()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Replay.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
    }

    private List<ExecutionListItem> executions(String stateMachine) {
        return sfn.listExecutions(list -> list.stateMachineArn(stateMachine)).executions();
    }

    @Test
    void starts_an_execution_with_the_run_s_input_and_follows_it_to_its_end_printing_progress_from_the_ledger() throws Exception {
        history.writeAccounts("a-", 20, 6);
        history.project(ReadModels.of(AccountView.MODEL));
        // Long enough for the steps below; the execution then succeeds, as the real one does after its finish step.
        String arn = stateMachine("{\"Start\":{\"Type\":\"Wait\",\"Seconds\":4,\"End\":true}}");

        CompletableFuture<Run> following = CompletableFuture.supplyAsync(() -> replay("rebuild", "account-view", "2", "--aws",
                "--state-machine", arn, "--segments", "2", "--page-size", "10", "--progress-every", "200ms"));
        ExecutionListItem execution = awaitExecution(arn);
        JsonNode input = JSON.readTree(sfn.describeExecution(describe -> describe.executionArn(execution.executionArn())).input());
        stepAsTheStateMachineDoes(input, execution.name());
        Run run = following.get(30, TimeUnit.SECONDS);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(input).isEqualTo(JSON.readTree("""
                {"readModel":"account-view","version":2,"segments":2,"pageSize":10}"""));
        assertThat(execution.name()).startsWith("account-view-2-");
        assertThat(run.err()).contains("started " + execution.executionArn()).contains("account-view@2  segments 2/2  events 120 ");
        assertThat(run.out()).contains("rebuilt account-view@2: 2 segments").contains("120 events")
                .contains("(execution " + execution.name() + ")").contains("next: factline-replay cutover account-view 2");
        assertThat(new RebuildLedger(dynamo.client(), history.readTable()).run("account-view@2").orElseThrow().owner())
                .as("the execution held the run").isEqualTo(execution.name());

        Run status = replay("status", "account-view", "2", "--aws", "--state-machine", arn);
        assertThat(status.out()).contains("account-view@2: complete, 2/2 segments done, 120 events")
                .contains("latest execution " + execution.name() + ": SUCCEEDED");
        Run again = replay("rebuild", "account-view", "2", "--aws", "--state-machine", arn, "--segments", "2");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("account-view@2 was rebuilt already");
        assertThat(executions(arn)).as("none started for a complete run").hasSize(1);
    }

    @Test
    void bad_input_is_refused_before_any_execution_starts() {
        String arn = stateMachine("{\"Start\":{\"Type\":\"Succeed\"}}");

        Run notHosted = replay("rebuild", "account-view", "7", "--aws", "--state-machine", arn);
        Run noStateMachine = replay("rebuild", "account-view", "2", "--aws");
        Run rateLimited = replay("rebuild", "account-view", "2", "--aws", "--state-machine", arn, "--max-read-units-per-second", "5");
        Run unknownStateMachine = replay("rebuild", "account-view", "2", "--aws", "--state-machine", arn + "-gone");

        assertThat(notHosted.code()).isEqualTo(Replay.BAD_INPUT);
        assertThat(notHosted.err()).contains("no read model account-view@7 is hosted");
        assertThat(noStateMachine.code()).isEqualTo(Replay.BAD_INPUT);
        assertThat(noStateMachine.err()).contains("--aws needs --state-machine ARN");
        assertThat(rateLimited.code()).isEqualTo(Replay.BAD_INPUT);
        assertThat(unknownStateMachine.code()).as(unknownStateMachine.err()).isEqualTo(Replay.BAD_INPUT);
        assertThat(unknownStateMachine.err()).contains("there is no state machine");
        assertThat(executions(arn)).isEmpty();
    }

    private ExecutionListItem awaitExecution(String arn) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            List<ExecutionListItem> started = executions(arn);
            if (!started.isEmpty()) {
                return started.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("factline-replay started no execution of " + arn);
    }

    /** The real state machine's Lambda steps: open, each segment until done, finish, with the execution's input and name. */
    private void stepAsTheStateMachineDoes(JsonNode input, String owner) throws Exception {
        RebuildFunction function = new RebuildFunction(new TwoAccountViews().get(), dynamo.client(), history.eventTable(),
                history.readTable(), Clock.systemUTC());
        JsonNode opened = invoke(function, step(RebuildStep.OPEN, input, owner));
        for (JsonNode segment : opened.get(RebuildFunction.SEGMENTS_TO_WORK)) {
            ObjectNode work = step(RebuildStep.WORK_SEGMENT, input, owner).put(RebuildStep.SEGMENT, segment.asInt())
                    .put(RebuildStep.PAGE_SIZE, input.get(RebuildStep.PAGE_SIZE).asInt());
            JsonNode worked;
            do {
                worked = invoke(function, work);
            } while (!worked.get(RebuildFunction.DONE).asBoolean());
        }
        invoke(function, step(RebuildStep.FINISH, input, owner));
    }

    private static ObjectNode step(String step, JsonNode input, String owner) {
        return JSON.createObjectNode().put(RebuildStep.STEP, step).put(RebuildStep.READ_MODEL, input.get(RebuildStep.READ_MODEL).asText())
                .put(RebuildStep.VERSION, input.get(RebuildStep.VERSION).asInt()).put(RebuildStep.SEGMENTS, input.get(RebuildStep.SEGMENTS).asInt())
                .put(RebuildStep.OWNER, owner);
    }

    private static JsonNode invoke(RebuildFunction function, JsonNode payload) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(payload)), output,
                InvocationContext.startingNow("factline-test-rebuild", 1024, "request-1", Duration.ofMinutes(15)));
        return JSON.readTree(output.toByteArray());
    }
}
