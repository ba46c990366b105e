package dev.factline.functions.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.emulators.InvocationContext;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.rebuild.RebuildLedger.RebuildRefusedException;
import dev.factline.functions.rebuild.RebuildStep.RebuildInputException;
import dev.factline.functions.testing.EventHistory;
import dev.factline.functions.testing.LocalDynamo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The rebuild function on dynalite, invoked with the JSON the state machine sends: a run opened,
 * its segments worked over several invocations each (a fake invocation clock stops each after two
 * pages), finished, and equal row for row to the live version and to the in-process rebuild of the
 * same fold; and the input and runs it refuses before writing anything.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RebuildFunctionIT {

    private static final StreamView<?, ?> LAMBDA_BUILT =
            StreamView.of("account-view", 2, Accounts.STREAM_TYPE, Accounts.codec(),
                    AccountView.PROJECTION, AccountView.class);
    private static final StreamView<?, ?> PROCESS_BUILT =
            StreamView.of("account-view", 3, Accounts.STREAM_TYPE, Accounts.codec(),
                    AccountView.PROJECTION, AccountView.class);
    private static final ReadModels HOSTED = ReadModels.of(AccountView.MODEL, LAMBDA_BUILT, PROCESS_BUILT);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNER = "rebuild-account-view-2-20261207T065100";

    private final LocalDynamo dynamo = LocalDynamo.shared();
    private final EventHistory history = EventHistory.create(dynamo, "rebuild-function");
    private final RebuildFunction function = new RebuildFunction(HOSTED, dynamo.client(), history.eventTable(), history.readTable(),
            Clock.systemUTC());

    @AfterEach
    void drop() {
        history.close();
    }

    private static String open(String owner) {
        return """
                {"step":"open","readModel":"account-view","version":2,"segments":4,"owner":"%s"}""".formatted(owner);
    }

    private static String segment(String owner, int segment) {
        return """
                {"step":"segment","readModel":"account-view","version":2,"segments":4,"owner":"%s","segment":%d,"pageSize":20}"""
                .formatted(owner, segment);
    }

    private static String finish(String owner) {
        return """
                {"step":"finish","readModel":"account-view","version":2,"segments":4,"owner":"%s"}""".formatted(owner);
    }

    private JsonNode invoke(String input, Context context) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, context);
        return JSON.readTree(output.toByteArray());
    }

    private long rebuildRows() {
        return dynamo.client().scan(scan -> scan.tableName(history.readTable().name()).filterExpression("begins_with(pk, :rebuild)")
                .expressionAttributeValues(Map.of(":rebuild",
                        AttributeValue.fromS(RebuildLedger.PREFIX)))).count();
    }

    @Nested
    class A_run_stepped_as_the_state_machine_steps_it {

        @Test
        void works_each_segment_over_several_invocations_and_ends_equal_to_the_live_version_and_the_in_process_rebuild() throws Exception {
            history.writeAccounts("a-", 60, 12);
            history.project(ReadModels.of(AccountView.MODEL));

            JsonNode opened = invoke(open(OWNER), invocationTime(1));
            int invocations = 0;
            for (JsonNode segment : opened.get("segments")) {
                JsonNode answer;
                do {
                    answer = invoke(segment(OWNER, segment.asInt()), invocationTime(2));
                    invocations++;
                    assertThat(answer.get("segment").asInt()).isEqualTo(segment.asInt());
                } while (!answer.get("done").asBoolean());
            }
            JsonNode finished = invoke(finish(OWNER), invocationTime(1));
            new Rebuild(dynamo.client(), history.eventTable(), history.readTable(), Clock.systemUTC(), "in-process")
                    .run(RebuildTarget.of(HOSTED, "account-view", 3), new Rebuild.Settings(4, 20, 0, Duration.ofSeconds(30)),
                            new RebuildProgress());

            assertThat(opened.get("segments")).hasSize(4);
            assertThat(invocations).as("two pages an invocation, 180 commits in pages of 20").isGreaterThan(4);
            assertThat(finished.get("complete").asBoolean()).isTrue();
            assertThat(finished.get("events").asLong()).isEqualTo(60 * 12);
            assertThat(new RebuildLedger(dynamo.client(), history.readTable()).run("account-view@2").orElseThrow().complete()).isTrue();
            ReadModelDiff diff = new ReadModelDiff(dynamo.client(), history.readTable());
            ReadModelDiff.Report againstLive = diff.compare(AccountView.MODEL, LAMBDA_BUILT, HOSTED);
            ReadModelDiff.Report againstProcess = diff.compare(PROCESS_BUILT, LAMBDA_BUILT, HOSTED);
            assertThat(againstLive.identical()).as("%s", againstLive).isTrue();
            assertThat(againstLive.same()).isEqualTo(60);
            assertThat(againstProcess.identical()).as("%s", againstProcess).isTrue();
        }

        @Test
        void once_complete_opens_with_no_segment_to_work_and_finishes_again() throws Exception {
            history.writeAccounts("a-", 8, 4);
            invoke(open(OWNER), invocationTime(1));
            for (int segment = 0; segment < 4; segment++) {
                invoke(segment(OWNER, segment), invocationTime(100));
            }
            invoke(finish(OWNER), invocationTime(1));

            JsonNode reopened = invoke(open("a-later-execution"), invocationTime(1));

            assertThat(reopened.get("alreadyComplete").asBoolean()).isTrue();
            assertThat(reopened.get("segments")).isEmpty();
            assertThat(invoke(finish("a-later-execution"), invocationTime(1)).get("complete").asBoolean()).isTrue();
            assertThatThrownBy(() -> invoke(segment("a-later-execution", 0), invocationTime(1)))
                    .isInstanceOf(RebuildRefusedException.class).hasMessageContaining("is complete");
        }
    }

    @Nested
    class Refused_before_anything_is_written {

        @Test
        void a_read_model_or_version_that_is_not_hosted() {
            assertThatThrownBy(() -> invoke(open(OWNER).replace("account-view", "account-veiw"), invocationTime(1)))
                    .isInstanceOf(RebuildInputException.class)
                    .hasMessage("a rebuild step's input: /readModel: no read model account-veiw@2 is hosted; hosted: account-view@1, "
                            + "account-view@2, account-view@3");
            assertThatThrownBy(() -> invoke(open(OWNER).replace("\"version\":2", "\"version\":9"), invocationTime(1)))
                    .isInstanceOf(RebuildInputException.class).hasMessageContaining("no read model account-view@9 is hosted");
            assertThat(rebuildRows()).isZero();
        }

        @Test
        void a_segment_out_of_range_a_misspelt_member_or_an_unknown_step() {
            assertThatThrownBy(() -> invoke(segment(OWNER, 4), invocationTime(1)))
                    .isInstanceOf(RebuildInputException.class).hasMessage("a rebuild step's input: /segment must be 0..3, but was 4");
            assertThatThrownBy(() -> invoke(segment(OWNER, 0).replace("pageSize", "pagesize"), invocationTime(1)))
                    .isInstanceOf(RebuildInputException.class).hasMessageContaining("pagesize");
            assertThatThrownBy(() -> invoke(open(OWNER).replace("\"open\"", "\"close\""), invocationTime(1)))
                    .isInstanceOf(RebuildInputException.class)
                    .hasMessage("a rebuild step's input: /step must be open, segment or finish, but was \"close\"");
            assertThat(rebuildRows()).isZero();
        }

        @Test
        void a_segment_of_a_run_never_opened_or_held_by_another_owner() throws Exception {
            history.writeAccounts("a-", 4, 3);
            assertThatThrownBy(() -> invoke(segment(OWNER, 0), invocationTime(1)))
                    .isInstanceOf(RebuildRefusedException.class).hasMessageContaining("was never opened");
            assertThat(rebuildRows()).isZero();

            invoke(open(OWNER), invocationTime(1));

            assertThatThrownBy(() -> invoke(segment("another-execution", 0), invocationTime(1)))
                    .isInstanceOf(RebuildRefusedException.class)
                    .hasMessage("the rebuild of account-view@2 is held by " + OWNER + ", not another-execution");
            assertThatThrownBy(() -> invoke(open("another-execution"), invocationTime(1)))
                    .as("while the lease holds").isInstanceOf(RebuildRefusedException.class).hasMessageContaining("is running");
            assertThat(rebuildRows()).as("the run only, no checkpoint").isEqualTo(1);
        }

        @Test
        void a_finish_before_every_segment_is_done() throws Exception {
            history.writeAccounts("a-", 4, 3);
            invoke(open(OWNER), invocationTime(1));
            invoke(segment(OWNER, 1), invocationTime(100));

            assertThatThrownBy(() -> invoke(finish(OWNER), invocationTime(1)))
                    .isInstanceOf(RebuildRefusedException.class)
                    .hasMessage("the rebuild of account-view@2 cannot finish: segments [0, 2, 3] are not done");
            assertThat(new RebuildLedger(dynamo.client(), history.readTable()).run("account-view@2").orElseThrow().complete()).isFalse();
        }
    }

    /**
     * An invocation's clock: fifteen minutes left for the first {@code pages} questions (the
     * handler asks once as it starts, then after each page), and a minute from then on, which is
     * less than a page needs.
     */
    private static Context invocationTime(int pages) {
        AtomicInteger asked = new AtomicInteger();
        return InvocationContext.withTimeLeft("factline-test-rebuild", 1024,
                () -> (int) (asked.getAndIncrement() < pages ? Duration.ofMinutes(15) : Duration.ofMinutes(1)).toMillis());
    }
}
