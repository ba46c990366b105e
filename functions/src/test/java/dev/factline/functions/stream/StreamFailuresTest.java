package dev.factline.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The one failure policy of the functions on the event table's stream: what waits, what is counted, what Lambda is told. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamFailuresTest {

    private static final StreamId A = StreamId.of("account", "a-1");
    private static final StreamId B = StreamId.of("account", "b-1");

    @Nested
    class What_waits {

        @Test
        void a_failure_holds_back_its_own_stream_s_later_records_and_no_other_stream_s() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt("200", A));

            assertThat(failures.mustWait(commit("300", A))).isTrue();
            assertThat(failures.mustWait(commit("250", B))).isFalse();
            assertThat(failures.mustWait(commit("400", B))).isFalse();
        }

        @Test
        void a_record_of_the_stream_before_its_failure_goes_on() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt("200", A));

            assertThat(failures.mustWait(commit("150", A))).isFalse();
        }

        /** The saga reports unreadable records before it handles the commits, so a stream's earlier record can fail later. */
        @Test
        void a_stream_that_fails_twice_waits_from_its_earlier_record_compared_as_a_number() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt("1000", A));
            failures.failed(problemAt("900", A));

            assertThat(failures.mustWait(commit("950", A))).isTrue();
        }

        @Test
        void a_failure_that_names_no_stream_holds_back_every_stream_from_it_on() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt("200", null));

            assertThat(failures.mustWait(commit("150", A))).isFalse();
            assertThat(failures.mustWait(commit("300", A))).isTrue();
            assertThat(failures.mustWait(commit("400", B))).isTrue();
        }

        @Test
        void a_record_without_a_sequence_number_holds_back_the_whole_batch_from_its_first_record() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt(null, null));

            assertThat(failures.mustWait(commit("100", A))).isTrue();
            assertThat(failures.mustWait(commit("200", B))).isTrue();
            assertThat(failures.retryFrom()).contains("100");
        }

        /** An answer without failures would checkpoint the batch: the invocation must fail so that Lambda delivers it again. */
        @Test
        void a_batch_in_which_no_record_has_a_sequence_number_fails_the_invocation() {
            StreamFailures failures = new StreamFailures(null);

            assertThatThrownBy(() -> failures.failed(problemAt(null, null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("retries it whole");
        }
    }

    @Nested
    class The_answer_to_Lambda {

        @Test
        void names_the_earliest_failed_record_compared_as_a_number_whatever_the_order_of_the_failures() {
            StreamFailures failures = new StreamFailures("800");
            failures.failed(problemAt("1000", A));
            failures.failed(problemAt("900", B));
            failures.heldBack("1100");

            assertThat(failures.response().getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier).containsExactly("900");
            assertThat(failures.retryFrom()).contains("900");
        }

        @Test
        void reports_none_when_nothing_failed_so_lambda_checkpoints_the_whole_batch() {
            StreamFailures failures = new StreamFailures("100");

            assertThat(failures.mustWait(commit("100", A))).isFalse();
            assertThat(failures.response().getBatchItemFailures()).isEmpty();
            assertThat(failures.retryFrom()).isEmpty();
            assertThat(failures.failedRecords()).isZero();
            assertThat(failures.problems()).isEmpty();
        }

        @Test
        void names_the_batch_s_first_record_when_the_batch_failed_as_a_whole() {
            StreamFailures failures = new StreamFailures("111100000000000000001");
            failures.failed(problemAt("111100000000000000004", A));
            failures.failedFromStart("read-table-unavailable", "throttled");

            assertThat(failures.retryFrom()).contains("111100000000000000001");
            assertThat(failures.problems()).last().satisfies(problem -> {
                assertThat(problem.sequenceNumber()).isEqualTo("111100000000000000001");
                assertThat(problem.streamId()).isNull();
            });
        }
    }

    @Nested
    class Counting {

        @Test
        void a_record_reported_in_several_read_models_is_one_failed_record_and_listed_each_time() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt("200", A));
            failures.failed(problemAt("200", A));

            assertThat(failures.failedRecords()).isEqualTo(1);
            assertThat(failures.problems()).hasSize(2);
        }

        @Test
        void a_record_held_back_is_a_failed_record_but_not_a_problem_of_its_own() {
            StreamFailures failures = new StreamFailures("100");
            failures.failed(problemAt("200", A));
            failures.mustWait(commit("300", A));
            failures.mustWait(commit("300", A));
            failures.mustWait(commit("400", B));

            assertThat(failures.failedRecords()).isEqualTo(2);
            assertThat(failures.problems()).extracting(RecordProblem::sequenceNumber).containsExactly("200");
        }
    }

    private static RecordProblem problemAt(@Nullable String sequenceNumber, @Nullable StreamId streamId) {
        return new RecordProblem("unreadable", sequenceNumber, streamId == null ? null : streamId.toString(), null, null, "a test's failure");
    }

    private static ChangeRecord commit(String sequenceNumber, StreamId streamId) {
        RecordedEvent event = new RecordedEvent(UUID.randomUUID(), streamId, 1, "AccountOpened", 1, Instant.EPOCH, "{}",
                new EventMetadata("cmd-1", "corr-1", null));
        return new ChangeRecord(sequenceNumber, Instant.EPOCH, List.of(event));
    }
}
