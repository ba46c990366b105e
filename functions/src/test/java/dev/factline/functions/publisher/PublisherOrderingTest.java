package dev.factline.functions.publisher;

import static dev.factline.functions.publisher.Batches.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.functions.publisher.PublishReport.Kind;
import dev.factline.functions.publisher.PublishedEnvelope.EventKey;
import dev.factline.functions.publisher.ScriptedSink.CallOutcome;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.stream.ChangeBatch.UnreadableRecord;
import dev.factline.functions.stream.RecordProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The publisher's ordering and retries, on a sink of the publisher's own port that refuses the
 * entries a test chooses and stores each call's entries in reverse order (Kinesis promises no
 * order within a call). The Kinesis adapter and the real server are the integration tests' part.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherOrderingTest {

    private static final int ATTEMPTS = 5;

    private final List<Integer> pauses = new ArrayList<>();
    private final RetryBackoff recordedBackoff = pauses::add;

    private OrderedPublisher publisher(RecordSink sink) {
        return publisher(sink, PublishLimits.kinesis());
    }

    private OrderedPublisher publisher(RecordSink sink, PublishLimits limits) {
        return new OrderedPublisher(sink, limits, new PublishPolicy(ATTEMPTS, recordedBackoff, Duration.ZERO));
    }

    private static EventKey event(String stream, long version) {
        return new EventKey(stream, version);
    }

    @Nested
    class One_event_of_a_stream_per_call {

        @Test
        void a_call_never_holds_two_events_of_one_stream_and_every_stream_reads_in_version_order() {
            Batches batches = new Batches();
            for (int round = 0; round < 10; round++) {
                for (int s = 0; s < 10; s++) {
                    batches.commit(stream("s" + s), 1 + (round + s) % 3);
                }
            }
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(sink.calls()).allSatisfy(call ->
                    assertThat(call.stream().map(EventKey::streamId).distinct().count()).isEqualTo(call.size()));
            for (int s = 0; s < 10; s++) {
                sink.order().assertComplete(stream("s" + s), batches.versions(stream("s" + s)));
                assertThat(sink.order().duplicates(stream("s" + s))).isZero();
            }
            assertThat(report.retryFrom()).isEmpty();
            assertThat(report.eventsPublished()).isEqualTo(sink.stored().size());
        }

        @Test
        void one_hundred_events_over_ten_streams_take_ten_calls_of_ten() {
            Batches batches = new Batches();
            for (int round = 0; round < 10; round++) {
                for (int s = 0; s < 10; s++) {
                    batches.commit(stream("s" + s), 1);
                }
            }
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.putRecordsCalls()).isEqualTo(10);
            assertThat(sink.calls()).extracting(List::size).containsOnly(10);
            assertThat(report.eventsPublished()).isEqualTo(100);
        }

        @Test
        void a_thousand_events_over_a_hundred_streams_take_ten_calls_of_a_hundred() {
            Batches batches = new Batches();
            for (int s = 0; s < 100; s++) {
                batches.commit(stream("s" + s), 10);
            }
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.putRecordsCalls()).isEqualTo(10);
            assertThat(sink.calls()).extracting(List::size).containsOnly(100);
            assertThat(report.eventsPublished()).isEqualTo(1000);
        }

        @Test
        void five_hundred_and_one_streams_of_one_event_take_a_full_call_and_one_more() {
            Batches batches = new Batches();
            for (int s = 0; s < 501; s++) {
                batches.commit(stream("s" + s), 1);
            }
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(sink.calls()).extracting(List::size).containsExactly(500, 1);
            assertThat(report.eventsPublished()).isEqualTo(501);
        }

        @Test
        void one_busy_stream_takes_a_call_per_event_while_the_others_ride_along() {
            Batches batches = new Batches();
            for (int i = 0; i < 3; i++) {
                batches.commit(stream("busy"), 10).commit(stream("quiet-" + i), 1);
            }
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.putRecordsCalls()).isEqualTo(30);
            assertThat(sink.calls().getFirst()).containsExactly(
                    event(stream("busy"), 1), event(stream("quiet-0"), 1), event(stream("quiet-1"), 1), event(stream("quiet-2"), 1));
            sink.order().assertComplete(stream("busy"), 30);
        }

        @Test
        void a_call_stays_within_the_byte_limit_and_a_head_that_does_not_fit_waits_for_the_next() {
            String padding = "x".repeat(2_800);
            Batches batches = new Batches();
            for (int s = 0; s < 10; s++) {
                batches.commit(stream("s" + s), 1, version -> "{\"padding\":\"" + padding + "\"}");
            }
            ScriptedSink sink = new ScriptedSink();
            PublishLimits limits = new PublishLimits(500, 10_000, 4_000);

            PublishReport report = publisher(sink, limits).publish(batches.build(), Deadline.none());

            assertThat(sink.calls()).extracting(List::size).containsExactly(3, 3, 3, 1);
            assertThat(report.eventsPublished()).isEqualTo(10);
        }
    }

    @Nested
    class Refused_entries {

        @Test
        void only_the_refused_entry_is_sent_again_and_its_stream_s_next_event_waits_behind_it() {
            Batches batches = new Batches().commit(stream("a"), 3).commit(stream("b"), 3);
            ScriptedSink sink = new ScriptedSink()
                    .refusing((event, attempt) -> event.equals(event(stream("a"), 2)) && attempt == 1);

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(sink.calls()).containsExactly(
                    List.of(event(stream("a"), 1), event(stream("b"), 1)),
                    List.of(event(stream("a"), 2), event(stream("b"), 2)),
                    List.of(event(stream("a"), 2), event(stream("b"), 3)),
                    List.of(event(stream("a"), 3)));
            sink.order().assertComplete(stream("a"), 3);
            sink.order().assertComplete(stream("b"), 3);
            assertThat(report.entriesRetried()).isEqualTo(1);
            assertThat(report.entriesRefused()).isEqualTo(1);
            assertThat(report.retryFrom()).isEmpty();
            assertThat(pauses).containsExactly(1);
        }

        @Test
        void each_retry_of_the_same_entry_backs_off_longer() {
            Batches batches = new Batches().commit(stream("a"), 2);
            ScriptedSink sink = new ScriptedSink().refusing((event, attempt) -> event.version() == 1 && attempt < 5);

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(pauses).containsExactly(1, 2, 3, 4);
            assertThat(report.entriesRetried()).isEqualTo(4);
            sink.order().assertComplete(stream("a"), 2);
        }

        @Test
        void an_event_refused_on_every_attempt_holds_back_its_stream_and_reports_its_record_while_the_others_go_on() {
            Batches batches = new Batches()
                    .commit(stream("a"), 1)
                    .commit(stream("stuck"), 1)
                    .commit(stream("a"), 1)
                    .commit(stream("stuck"), 1)
                    .commit(stream("a"), 1);
            ScriptedSink sink = new ScriptedSink().refusing((event, attempt) -> event.equals(event(stream("stuck"), 1)));

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(sink.attemptsOf(event(stream("stuck"), 1))).isEqualTo(ATTEMPTS);
            assertThat(sink.attemptsOf(event(stream("stuck"), 2))).as("never sent ahead of version 1").isZero();
            sink.order().assertComplete(stream("a"), 3);
            assertThat(sink.order().copies(stream("stuck"))).isEmpty();
            assertThat(report.retryFrom()).contains(batches.sequenceNumber(1));
            assertThat(report.recordsFailed()).isEqualTo(2);
            assertThat(report.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.kind()).isEqualTo(Kind.GAVE_UP.label());
                assertThat(problem.streamId()).isEqualTo(stream("stuck"));
                assertThat(problem.version()).isEqualTo(1);
                assertThat(problem.reason()).contains("refused 5 times", "ProvisionedThroughputExceededException");
            });
        }

        @Test
        void a_redelivery_from_the_reported_record_publishes_the_rest_and_the_duplicates_are_recognisable() {
            Batches batches = new Batches();
            for (int round = 0; round < 4; round++) {
                batches.commit(stream("a"), 1).commit(stream("stuck"), 1).commit(stream("b"), 2);
            }
            boolean[] healed = {false};
            ScriptedSink sink = new ScriptedSink()
                    .refusing((event, attempt) -> !healed[0] && event.equals(event(stream("stuck"), 2)));

            PublishReport first = publisher(sink).publish(batches.build(), Deadline.none());
            healed[0] = true;
            PublishReport second = publisher(sink).publish(batches.from(first.retryFrom().orElseThrow()), Deadline.none());

            assertThat(first.retryFrom()).contains(batches.sequenceNumber(4));
            assertThat(second.retryFrom()).isEmpty();
            StreamOrder order = sink.order();
            order.assertComplete(stream("a"), 4);
            order.assertComplete(stream("stuck"), 4);
            order.assertComplete(stream("b"), 8);
            assertThat(order.copies(stream("a"))).as("a's records after the reported one came twice").containsExactly(1L, 2L, 3L, 4L, 3L, 4L);
            assertThat(order.copies(stream("stuck"))).containsExactly(1L, 2L, 3L, 4L);
        }

        @Test
        void a_commit_refused_in_the_middle_is_reported_whole_and_its_published_events_come_again_as_duplicates() {
            Batches batches = new Batches().commit(stream("a"), 3);
            boolean[] healed = {false};
            ScriptedSink sink = new ScriptedSink().refusing((event, attempt) -> !healed[0] && event.version() == 2);

            PublishReport first = publisher(sink).publish(batches.build(), Deadline.none());
            healed[0] = true;
            publisher(sink).publish(batches.from(first.retryFrom().orElseThrow()), Deadline.none());

            assertThat(first.retryFrom()).contains(batches.sequenceNumber(0));
            assertThat(sink.order().copies(stream("a"))).containsExactly(1L, 1L, 2L, 3L);
            sink.order().assertComplete(stream("a"), 3);
        }

        @Test
        void a_call_that_fails_as_a_whole_counts_as_a_refusal_of_each_of_its_entries() {
            Batches batches = new Batches().commit(stream("a"), 2).commit(stream("b"), 1);
            ScriptedSink sink = new ScriptedSink().withCalls(call -> call == 1 ? CallOutcome.FAILS_UNSTORED : CallOutcome.ANSWERED);

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(sink.calls()).containsExactly(
                    List.of(event(stream("a"), 1), event(stream("b"), 1)),
                    List.of(event(stream("a"), 1), event(stream("b"), 1)),
                    List.of(event(stream("a"), 2)));
            assertThat(report.entriesRefused()).isEqualTo(2);
            assertThat(report.entriesRetried()).isEqualTo(2);
            sink.order().assertComplete(stream("a"), 2);
        }

        @Test
        void a_call_that_stored_its_entries_before_failing_leaves_duplicates_but_no_disorder() {
            Batches batches = new Batches().commit(stream("a"), 3).commit(stream("b"), 2);
            ScriptedSink sink = new ScriptedSink().withCalls(call -> call == 2 ? CallOutcome.FAILS_AFTER_STORING : CallOutcome.ANSWERED);

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(sink.order().copies(stream("a"))).containsExactly(1L, 2L, 2L, 3L);
            sink.order().assertComplete(stream("a"), 3);
            sink.order().assertComplete(stream("b"), 2);
            assertThat(report.retryFrom()).isEmpty();
        }
    }

    @Nested
    class Records_that_cannot_go {

        @Test
        void an_unreadable_record_holds_back_only_its_own_stream_and_is_reported() {
            Batches batches = new Batches()
                    .commit(stream("a"), 1)
                    .commit(stream("b"), 1)
                    .unreadable(stream("a"))
                    .commit(stream("a"), 1)
                    .commit(stream("b"), 1);
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.retryFrom()).contains(batches.sequenceNumber(2));
            assertThat(sink.order().copies(stream("a"))).containsExactly(1L);
            sink.order().assertComplete(stream("b"), 2);
            assertThat(report.unreadableRecords()).isEqualTo(1);
            assertThat(report.recordsFailed()).isEqualTo(2);
            assertThat(report.problems()).extracting(RecordProblem::kind, RecordProblem::sequenceNumber, RecordProblem::streamId)
                    .containsExactly(tuple(Kind.UNREADABLE.label(), batches.sequenceNumber(2), stream("a")));
        }

        @Test
        void an_unreadable_record_that_names_no_stream_holds_back_every_record_after_it() {
            Batches batches = new Batches()
                    .commit(stream("a"), 1)
                    .unreadable(null)
                    .commit(stream("b"), 1)
                    .commit(stream("c"), 1);
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.retryFrom()).contains(batches.sequenceNumber(1));
            assertThat(sink.stored()).extracting(PublishedEnvelope::key).containsExactly(event(stream("a"), 1));
            assertThat(report.recordsFailed()).isEqualTo(3);
        }

        @Test
        void an_event_over_the_record_limit_is_reported_without_being_sent_and_holds_back_its_stream() {
            Batches batches = new Batches()
                    .commit(stream("big"), 1)
                    .commit(stream("big"), 1, version -> "{\"padding\":\"" + "x".repeat(5_000) + "\"}")
                    .commit(stream("other"), 1)
                    .commit(stream("big"), 1);
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink, new PublishLimits(500, 40_000, 4_000)).publish(batches.build(), Deadline.none());

            assertThat(report.retryFrom()).contains(batches.sequenceNumber(1));
            assertThat(sink.order().copies(stream("big"))).containsExactly(1L);
            assertThat(sink.attemptsOf(event(stream("big"), 2))).as("never sent").isZero();
            assertThat(sink.attemptsOf(event(stream("big"), 3))).isZero();
            sink.order().assertComplete(stream("other"), 1);
            assertThat(report.unpublishableEvents()).isEqualTo(1);
            assertThat(report.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.kind()).isEqualTo(Kind.UNPUBLISHABLE.label());
                assertThat(problem.version()).isEqualTo(2);
                assertThat(problem.reason()).contains("over the 4000 bytes a record may hold");
            });
        }

        @Test
        void an_event_of_exactly_the_record_limit_is_sent_and_one_byte_more_is_not() {
            String stream = stream("edge");
            int padding = 3_000;
            byte[] probe = EventEnvelopes.encode(new Batches().commit(stream, 1, v -> padded(padding)).build()
                    .changes().commits().getFirst().events().getFirst());
            long limit = probe.length + stream.length();
            Batches batches = new Batches()
                    .commit(stream("edge"), 1, v -> padded(padding))
                    .commit(stream("edge"), 1, v -> padded(padding + 1));
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink, new PublishLimits(500, 100_000, limit)).publish(batches.build(), Deadline.none());

            assertThat(sink.order().copies(stream)).containsExactly(1L);
            assertThat(report.unpublishableEvents()).isEqualTo(1);
            assertThat(report.retryFrom()).contains(batches.sequenceNumber(1));
        }

        @Test
        void a_payload_that_is_not_a_json_object_is_reported_without_being_sent() {
            Batches batches = new Batches()
                    .commit(stream("a"), 1, version -> "[1,2]")
                    .commit(stream("b"), 1);
            ScriptedSink sink = new ScriptedSink();

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.retryFrom()).contains(batches.sequenceNumber(0));
            assertThat(sink.stored()).extracting(PublishedEnvelope::key).containsExactly(event(stream("b"), 1));
            assertThat(report.problems()).singleElement()
                    .satisfies(problem -> assertThat(problem.reason()).contains("not a JSON object"));
        }

        @Test
        void the_lowest_of_several_failed_records_is_reported() {
            Batches batches = new Batches()
                    .commit(stream("a"), 1)
                    .commit(stream("refused"), 1)
                    .unreadable(stream("c"))
                    .commit(stream("d"), 1, version -> "not json");
            ScriptedSink sink = new ScriptedSink().refusing((event, attempt) -> event.streamId().equals(stream("refused")));

            PublishReport report = publisher(sink).publish(batches.build(), Deadline.none());

            assertThat(report.retryFrom()).contains(batches.sequenceNumber(1));
            assertThat(report.recordsFailed()).isEqualTo(3);
            assertThat(report.problems()).extracting(RecordProblem::kind)
                    .containsExactlyInAnyOrder(Kind.UNREADABLE.label(), Kind.UNPUBLISHABLE.label(), Kind.GAVE_UP.label());
        }

        private static String padded(int length) {
            return "{\"padding\":\"" + "x".repeat(length) + "\"}";
        }
    }

    @Nested
    class Time {

        @Test
        void once_time_runs_short_no_call_starts_and_every_waiting_record_is_reported() {
            Batches batches = new Batches().commit(stream("a"), 3).commit(stream("b"), 1);
            ScriptedSink sink = new ScriptedSink();
            int[] checks = {0};
            Deadline afterTwoCalls = () -> ++checks[0] > 2;

            PublishReport report = publisher(sink).publish(batches.build(), afterTwoCalls);

            assertThat(sink.calls()).hasSize(2);
            sink.order().assertComplete(stream("a"), 2);
            sink.order().assertComplete(stream("b"), 1);
            assertThat(report.retryFrom()).contains(batches.sequenceNumber(0));
            assertThat(report.problems()).singleElement().satisfies(problem -> {
                assertThat(problem.kind()).isEqualTo(Kind.OUT_OF_TIME.label());
                assertThat(problem.sequenceNumber()).isEqualTo(batches.sequenceNumber(0));
                assertThat(problem.reason()).contains("events waiting: 1, streams: 1");
            });
        }
    }

    /**
     * The law, for many random batches and failure schedules: deliver, re-deliver from the reported
     * record until nothing is reported (the sink heals after a few deliveries, as throttling does),
     * and check after every delivery that each stream reads as a gap-free prefix once duplicates
     * are dropped, and at the end that it reads completely.
     */
    @Nested
    class Any_schedule {

        static Stream<Long> seeds() {
            return LongStream.rangeClosed(1, 300).boxed();
        }

        @ParameterizedTest(name = "seed {0}")
        @MethodSource("seeds")
        void keeps_every_stream_in_version_order_and_loses_nothing(long seed) {
            Random random = new Random(seed);
            Batches batches = new Batches();
            List<String> streams = IntStream.range(0, 1 + random.nextInt(8)).mapToObj(i -> stream("s" + i)).toList();
            int commits = 1 + random.nextInt(40);
            for (int i = 0; i < commits; i++) {
                String stream = streams.get(random.nextInt(streams.size()));
                if (random.nextInt(25) == 0) {
                    batches.unreadable(random.nextInt(4) == 0 ? null : stream);
                } else {
                    batches.commit(stream, 1 + random.nextInt(3));
                }
            }
            double refusalRate = random.nextDouble() * 0.6;
            int[] delivery = {1};
            Set<String> unreadable = new HashSet<>();
            ScriptedSink sink = new ScriptedSink(random)
                    .refusing((event, attempt) -> delivery[0] <= 3 && random.nextDouble() < refusalRate)
                    .withCalls(call -> delivery[0] > 3 || random.nextInt(10) > 0 ? CallOutcome.ANSWERED
                            : random.nextBoolean() ? CallOutcome.FAILS_UNSTORED : CallOutcome.FAILS_AFTER_STORING);
            OrderedPublisher publisher = new OrderedPublisher(sink, new PublishLimits(1 + random.nextInt(500), 5L << 20, 1L << 20),
                    new PublishPolicy(1 + random.nextInt(3), RetryBackoff.none(), Duration.ZERO));

            PublishReport report = publisher.publish(batches.build(), Deadline.none());
            while (report.retryFrom().isPresent()) {
                assertPrefixes(sink, streams);
                report.problems().stream().filter(problem -> problem.kind().equals(Kind.UNREADABLE.label()))
                        .forEach(problem -> unreadable.add(problem.sequenceNumber()));
                String from = report.retryFrom().get();
                if (unreadable.contains(from)) {
                    break;
                }
                assertThat(delivery[0]).as("deliveries").isLessThan(20);
                delivery[0]++;
                report = publisher.publish(batches.from(from), Deadline.none());
            }

            assertPrefixes(sink, streams);
            if (report.retryFrom().isEmpty()) {
                for (String stream : streams) {
                    sink.order().assertComplete(stream, batches.versions(stream));
                }
            }
        }

        private static void assertPrefixes(ScriptedSink sink, List<String> streams) {
            StreamOrder order = sink.order();
            for (String stream : streams) {
                order.assertGapFreePrefix(stream);
            }
        }
    }

    @Test
    void a_batch_with_a_record_without_a_sequence_number_publishes_nothing_and_is_retried_whole() {
        Batches batches = new Batches().commit(stream("a"), 1);
        ShardBatch whole = batches.build();
        ShardBatch broken = new ShardBatch(new ChangeBatch(whole.changes().commits(),
                List.of(new UnreadableRecord(null, "a record without a sequence number", Optional.empty())),
                2, 0, Optional.of(batches.sequenceNumber(0))), whole.items());
        ScriptedSink sink = new ScriptedSink();

        PublishReport report = publisher(sink).publish(broken, Deadline.none());

        assertThat(sink.calls()).isEmpty();
        assertThat(report.retryFrom()).contains(batches.sequenceNumber(0));
        assertThat(report.problems()).extracting(RecordProblem::kind).containsExactly(Kind.UNPLACEABLE.label());
    }
}
