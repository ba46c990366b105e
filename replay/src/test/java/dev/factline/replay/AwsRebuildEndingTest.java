package dev.factline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.rebuild.RebuildLedger.RebuildRefusedException;
import dev.factline.functions.rebuild.RebuildStep.RebuildInputException;
import dev.factline.functions.view.ReadTableUnavailableException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * How a finished execution becomes the command's exit code and last line. The shapes are Step
 * Functions' own: a Lambda task's error is the function's exception class and its cause the
 * runtime's JSON. (Against moto this path cannot be run: 5.2.1 answers DescribeExecution of a
 * failed execution with a 500.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AwsRebuildEndingTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(RebuildRefusedException.class.getName(), Replay.REFUSED),
                Arguments.of(RebuildInputException.class.getName(), Replay.BAD_INPUT),
                Arguments.of("States.Timeout", Replay.FAILED),
                Arguments.of(ReadTableUnavailableException.class.getName(), Replay.FAILED));
    }

    @ParameterizedTest(name = "{0} -> exit {1}")
    @MethodSource("failures")
    void a_failed_execution_ends_with_the_exit_code_of_its_error_and_the_function_s_message(String error, int exitCode) {
        DescribeExecutionResponse failed = DescribeExecutionResponse.builder().name("account-view-2-x").status(ExecutionStatus.FAILED)
                .error(error).cause("{\"errorMessage\":\"what the function said\",\"errorType\":\"" + error + "\",\"stackTrace\":[]}").build();

        AwsRebuild.Ending ending = AwsRebuild.ending(failed);

        assertThat(ending.exitCode()).isEqualTo(exitCode);
        assertThat(ending.detail()).isEqualTo("FAILED (" + error + "): what the function said");
    }

    @Test
    void a_state_s_own_cause_is_text_and_is_shown_as_it_is() {
        DescribeExecutionResponse timedOut = DescribeExecutionResponse.builder().name("x").status(ExecutionStatus.TIMED_OUT)
                .cause("the execution ran past 7 days").build();

        AwsRebuild.Ending ending = AwsRebuild.ending(timedOut);

        assertThat(ending.exitCode()).isEqualTo(Replay.FAILED);
        assertThat(ending.detail()).isEqualTo("TIMED_OUT: the execution ran past 7 days");
    }

    @Test
    void a_succeeded_execution_exits_zero() {
        assertThat(AwsRebuild.ending(DescribeExecutionResponse.builder().name("x").status(ExecutionStatus.SUCCEEDED).build()).exitCode())
                .isZero();
    }
}
