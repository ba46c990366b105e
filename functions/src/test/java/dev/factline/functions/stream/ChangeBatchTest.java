package dev.factline.functions.stream;

import dev.factline.functions.store.ClaimChecks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.factline.eventsourcing.RecordedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A batch from the event table's stream in the JSON shape Lambda delivers, read into commits. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChangeBatchTest {

    private static final PojoSerializer<DynamodbEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, ChangeBatchTest.class.getClassLoader());
    private static final DynamodbEvent SAMPLE = sample();

    @Nested
    class Reading_a_batch {

        @Test
        void a_commit_becomes_its_events_in_version_order_with_their_metadata() {
            ChangeRecord commit = ChangeBatch.of(SAMPLE, ClaimChecks.none()).commits().getFirst();

            assertThat(commit.sequenceNumber()).isEqualTo("111100000000000000001");
            assertThat(commit.writtenAt()).isEqualTo(Instant.ofEpochSecond(1767323045));
            assertThat(commit.streamId()).hasToString("account#a-1");
            assertThat(commit.events()).extracting(RecordedEvent::version, RecordedEvent::type, RecordedEvent::schemaVersion)
                    .containsExactly(
                            tuple(1L, "AccountOpened", 1),
                            tuple(2L, "MoneyDeposited", 3));
            assertThat(commit.events().get(1).metadata().causationId()).isEqualTo("evt-0");
        }

        @Test
        void snapshots_and_removals_are_passed_over_and_a_commit_without_its_events_is_unreadable_by_sequence_number() {
            ChangeBatch batch = ChangeBatch.of(SAMPLE, ClaimChecks.none());

            assertThat(batch.records()).isEqualTo(4);
            assertThat(batch.commits()).hasSize(1);
            assertThat(batch.passedOver()).isEqualTo(2);
            assertThat(batch.unreadable()).singleElement().satisfies(unreadable -> {
                assertThat(unreadable.sequenceNumber()).isEqualTo("111100000000000000004");
                assertThat(unreadable.reason()).contains("events");
            });
            assertThat(batch.firstSequenceNumber()).contains("111100000000000000001");
        }

        @Test
        void an_insert_without_its_new_image_is_unreadable_rather_than_passed_over() {
            DynamodbEvent keysOnly = SERIALIZER.fromJson("""
                    {"Records": [{"eventName": "INSERT", "eventSource": "aws:dynamodb", "dynamodb": {
                      "Keys": {"pk": {"S": "account#a-1"}, "sk": {"N": "1"}},
                      "SequenceNumber": "42", "StreamViewType": "KEYS_ONLY"}}]}
                    """);

            assertThat(ChangeBatch.of(keysOnly, ClaimChecks.none()).unreadable()).singleElement()
                    .satisfies(unreadable -> assertThat(unreadable.reason()).contains("NEW_IMAGE"));
        }

        @Test
        void no_event_and_no_records_are_an_empty_batch() {
            assertThat(ChangeBatch.of(null, ClaimChecks.none()).records()).isZero();
            assertThat(ChangeBatch.of(new DynamodbEvent(), ClaimChecks.none()).firstSequenceNumber()).isEmpty();
        }
    }

    @Nested
    class The_retry_point {

        @Test
        void is_the_lowest_sequence_number_compared_as_a_number_not_as_text() {
            RetryPoint retry = new RetryPoint();
            retry.failedAt("900");
            retry.failedAt("1000");
            retry.failedAt("950");

            assertThat(retry.response().getBatchItemFailures()).singleElement()
                    .satisfies(failure -> assertThat(failure.getItemIdentifier()).isEqualTo("900"));
        }

        @Test
        void is_absent_when_nothing_failed_so_lambda_checkpoints_the_whole_batch() {
            assertThat(new RetryPoint().response().getBatchItemFailures()).isEmpty();
        }

        @Test
        void never_takes_a_blank_identifier() {
            assertThatThrownBy(() -> new RetryPoint().failedAt(" "))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static DynamodbEvent sample() {
        try (InputStream json = ChangeBatchTest.class.getResourceAsStream("/dynamodb/event-table-batch.json")) {
            return SERIALIZER.fromJson(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
