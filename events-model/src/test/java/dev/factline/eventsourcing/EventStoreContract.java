package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStore} must do. An implementation's test subclasses this and supplies
 * the store; nothing else changes. Each test writes to streams and keys of its own, so one store
 * (one DynamoDB Local, say) may serve the whole suite.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class EventStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** The store under test; may be the same instance for every call. */
    protected abstract EventStore store();

    @Nested
    class Appending {

        @Test
        void the_first_append_writes_versions_from_one_in_order() {
            StreamId stream = newStream();

            AppendResult result = store().append(stream, 0, events(3), null);

            assertThat(result).isInstanceOf(AppendResult.Appended.class);
            assertThat(result.commit()).isEqualTo(new Commit(stream, 0, 3));
            assertThat(store().load(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
        }

        @Test
        void a_recorded_event_keeps_every_field_of_the_envelope() {
            StreamId stream = newStream();
            NewEvent event = new NewEvent(UUID.randomUUID(), "Added", 2, T0.plusMillis(123),
                    "{\"amount\":7,\"note\":\"caf\\u00e9 \\\"quoted\\\"\"}",
                    new EventMetadata("cmd-1", "corr-1", "cause-1"));

            List<RecordedEvent> appended = ((AppendResult.Appended) store().append(stream, 0, List.of(event), null)).events();

            RecordedEvent expected = event.recordedAt(stream, 1);
            assertThat(appended).containsExactly(expected);
            assertThat(store().load(stream)).singleElement().satisfies(loaded -> {
                assertThat(loaded).usingRecursiveComparison().ignoringFields("payload").isEqualTo(expected);
                assertThat(Json.strictMapper().readTree(loaded.payload())).isEqualTo(Json.strictMapper().readTree(expected.payload()));
            });
        }

        @Test
        void metadata_without_a_causation_id_round_trips() {
            StreamId stream = newStream();
            NewEvent event = added(1, T0, EventMetadata.forCommand("cmd-2"));

            store().append(stream, 0, List.of(event), null);

            assertThat(store().load(stream)).singleElement()
                    .extracting(RecordedEvent::metadata)
                    .isEqualTo(new EventMetadata("cmd-2", "cmd-2", null));
        }

        @Test
        void later_appends_continue_without_gaps() {
            StreamId stream = newStream();
            store().append(stream, 0, events(2), null);

            AppendResult result = store().append(stream, 2, events(2), null);

            assertThat(result.commit()).isEqualTo(new Commit(stream, 2, 2));
            assertThat(store().load(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L);
        }

        @Test
        void an_append_of_nothing_without_a_key_is_refused_and_writes_nothing() {
            StreamId stream = newStream();

            assertThatThrownBy(() -> store().append(stream, 0, List.of(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nothing to append");
            assertThat(store().load(stream)).isEmpty();
        }

        @Test
        void a_negative_expected_version_is_refused() {
            assertThatThrownBy(() -> store().append(newStream(), -1, events(1), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected version");
        }

        @Test
        void streams_are_independent() {
            StreamId first = newStream();
            StreamId second = newStream();

            store().append(first, 0, events(2), null);
            store().append(second, 0, events(1), null);

            assertThat(store().load(first)).hasSize(2);
            assertThat(store().load(second)).hasSize(1);
        }
    }

    @Nested
    class Optimistic_concurrency {

        @Test
        void a_second_writer_at_the_same_version_gets_a_conflict_naming_the_versions() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);

            assertThatThrownBy(() -> store().append(stream, 0, events(1), null))
                    .isInstanceOfSatisfying(VersionConflictException.class, conflict -> {
                        assertThat(conflict.streamId()).isEqualTo(stream);
                        assertThat(conflict.expectedVersion()).isZero();
                        assertThat(conflict.actualVersion()).isEqualTo(1);
                    });
            assertThat(store().load(stream)).hasSize(1);
        }

        @Test
        void a_conflict_names_the_stream_head_not_just_the_next_version() {
            StreamId stream = newStream();
            store().append(stream, 0, events(3), null);

            assertThatThrownBy(() -> store().append(stream, 0, events(1), null))
                    .isInstanceOfSatisfying(VersionConflictException.class, conflict -> assertThat(conflict.actualVersion()).isEqualTo(3));
        }

        @Test
        void a_conflict_names_the_head_even_with_snapshots_above_the_last_commit() {
            StreamId stream = newStream();
            store().append(stream, 0, events(3), null);
            store().saveSnapshot(snapshot(stream, 2, 1));
            store().saveSnapshot(snapshot(stream, 3, 1));

            assertThatThrownBy(() -> store().append(stream, 0, events(1), null))
                    .isInstanceOfSatisfying(VersionConflictException.class, conflict -> assertThat(conflict.actualVersion()).isEqualTo(3));
        }

        @Test
        void a_multi_event_append_that_conflicts_writes_none_of_its_events() {
            StreamId stream = newStream();
            store().append(stream, 0, events(2), null);

            assertThatThrownBy(() -> store().append(stream, 0, events(3), null)).isInstanceOf(VersionConflictException.class);

            assertThat(store().load(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L);
        }

        @Test
        void a_writer_that_read_an_older_head_loses_to_the_commits_after_it() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);
            store().append(stream, 1, events(2), null);

            assertThatThrownBy(() -> store().append(stream, 1, events(1), null))
                    .isInstanceOfSatisfying(VersionConflictException.class, conflict -> assertThat(conflict.actualVersion()).isEqualTo(3));
            assertThat(store().load(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
        }

        @Test
        void of_many_racing_writers_at_one_version_exactly_one_wins() throws Exception {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);
            int writers = 8;

            List<Object> outcomes = race(writers, () -> store().append(stream, 1, events(2), null));

            assertThat(outcomes).filteredOn(AppendResult.Appended.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(VersionConflictException.class::isInstance).hasSize(writers - 1);
            assertThat(store().load(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
        }
    }

    @Nested
    class Idempotency_keys {

        @Test
        void a_repeat_returns_the_original_commit_and_appends_nothing() {
            StreamId stream = newStream();
            Idempotency idempotency = newIdempotency("fingerprint-a");
            AppendResult first = store().append(stream, 0, events(2), idempotency);

            AppendResult repeat = store().append(stream, 2, events(1), idempotency);

            assertThat(repeat).as("the original commit, with its events for the answer").isEqualTo(new AppendResult.AlreadyCommitted(first.commit(), store().load(stream, 1, 2)));
            assertThat(store().load(stream)).hasSize(2);
        }

        @Test
        void a_repeat_is_answered_even_when_the_stream_has_moved_on() {
            StreamId stream = newStream();
            Idempotency idempotency = newIdempotency("fingerprint-a");
            AppendResult first = store().append(stream, 0, events(1), idempotency);
            store().append(stream, 1, events(1), null);

            AppendResult repeat = store().append(stream, 0, events(1), idempotency);

            assertThat(repeat).isEqualTo(new AppendResult.AlreadyCommitted(first.commit(), store().load(stream, 1, 1)));
            assertThat(store().load(stream)).hasSize(2);
        }

        @Test
        void a_key_reused_with_another_request_is_refused_and_writes_nothing() {
            StreamId stream = newStream();
            IdempotencyKey key = newKey();
            AppendResult first = store().append(stream, 0, events(1), new Idempotency(key, "fingerprint-a"));

            assertThatThrownBy(() -> store().append(stream, 1, events(1), new Idempotency(key, "fingerprint-b")))
                    .isInstanceOfSatisfying(IdempotencyKeyReusedException.class, reused -> {
                        assertThat(reused.key()).isEqualTo(key);
                        assertThat(reused.original()).isEqualTo(first.commit());
                    });
            assertThat(store().load(stream)).hasSize(1);
        }

        @Test
        void a_key_is_global_so_reusing_it_on_another_stream_is_refused() {
            IdempotencyKey key = newKey();
            store().append(newStream(), 0, events(1), new Idempotency(key, "fingerprint-a"));
            StreamId other = newStream();

            assertThatThrownBy(() -> store().append(other, 0, events(1), new Idempotency(key, "fingerprint-b")))
                    .isInstanceOf(IdempotencyKeyReusedException.class);
            assertThat(store().load(other)).isEmpty();
        }

        @Test
        void the_same_request_on_another_stream_is_a_reuse_not_a_repeat() {
            Idempotency idempotency = newIdempotency("fingerprint-a");
            store().append(newStream(), 0, events(1), idempotency);
            StreamId other = newStream();

            assertThatThrownBy(() -> store().append(other, 0, events(1), idempotency)).isInstanceOf(IdempotencyKeyReusedException.class);
            assertThat(store().load(other)).isEmpty();
        }

        @Test
        void a_reused_key_is_reported_as_reused_even_when_the_version_is_stale_too() {
            StreamId stream = newStream();
            IdempotencyKey key = newKey();
            store().append(stream, 0, events(1), new Idempotency(key, "fingerprint-a"));

            assertThatThrownBy(() -> store().append(stream, 0, events(1), new Idempotency(key, "fingerprint-b")))
                    .isInstanceOf(IdempotencyKeyReusedException.class);
        }

        @Test
        void the_record_of_a_key_holds_its_commit() {
            StreamId stream = newStream();
            Idempotency idempotency = newIdempotency("fingerprint-a");
            store().append(stream, 0, events(3), idempotency);

            assertThat(store().findIdempotencyRecord(idempotency.key()))
                    .contains(new IdempotencyRecord(idempotency.key(), "fingerprint-a", new Commit(stream, 0, 3)));
            assertThat(store().findIdempotencyRecord(newKey())).isEmpty();
        }

        @Test
        void a_key_with_no_events_records_a_commit_of_nothing() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);
            Idempotency idempotency = newIdempotency("fingerprint-a");

            AppendResult result = store().append(stream, 1, List.of(), idempotency);

            assertThat(result).isEqualTo(new AppendResult.Appended(new Commit(stream, 1, 0), List.of()));
            assertThat(store().append(stream, 1, List.of(), idempotency)).isInstanceOf(AppendResult.AlreadyCommitted.class);
            assertThat(store().load(stream)).hasSize(1);
        }

        @Test
        void a_key_with_no_events_still_checks_the_expected_version() {
            StreamId stream = newStream();
            store().append(stream, 0, events(2), null);
            Idempotency idempotency = newIdempotency("fingerprint-a");

            assertThatThrownBy(() -> store().append(stream, 1, List.of(), idempotency)).isInstanceOf(VersionConflictException.class);
            assertThat(store().findIdempotencyRecord(idempotency.key())).isEmpty();
        }

        @Test
        void a_key_with_no_events_for_a_new_stream_conflicts_when_the_stream_exists() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);
            Idempotency idempotency = newIdempotency("fingerprint-a");

            assertThatThrownBy(() -> store().append(stream, 0, List.of(), idempotency)).isInstanceOf(VersionConflictException.class);
            assertThat(store().findIdempotencyRecord(idempotency.key())).isEmpty();
        }

        @Test
        void an_append_that_conflicts_leaves_its_key_unused() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);
            Idempotency idempotency = newIdempotency("fingerprint-a");

            assertThatThrownBy(() -> store().append(stream, 0, events(1), idempotency)).isInstanceOf(VersionConflictException.class);

            assertThat(store().findIdempotencyRecord(idempotency.key())).isEmpty();
            assertThat(store().append(stream, 1, events(1), idempotency)).isInstanceOf(AppendResult.Appended.class);
        }

        @Test
        void racing_repeats_of_one_key_append_once() throws Exception {
            StreamId stream = newStream();
            Idempotency idempotency = newIdempotency("fingerprint-a");
            int writers = 8;

            List<Object> outcomes = race(writers, () -> store().append(stream, 0, events(1), idempotency));

            assertThat(outcomes).filteredOn(AppendResult.Appended.class::isInstance).hasSize(1);
            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOfAny(
                    AppendResult.Appended.class, AppendResult.AlreadyCommitted.class, VersionConflictException.class));
            assertThat(outcomes).filteredOn(AppendResult.AlreadyCommitted.class::isInstance)
                    .allSatisfy(repeat -> assertThat(((AppendResult) repeat).commit()).isEqualTo(new Commit(stream, 0, 1)));
            assertThat(store().load(stream)).hasSize(1);
        }
    }

    @Nested
    class Inline_writes {

        @Test
        void a_view_written_with_a_commit_reads_back_once_it_returns() {
            StreamId stream = newStream();

            store().append(stream, 0, events(2), null, List.of(total(stream, 2, 2)));

            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, stream)).contains(new RunningTotal.Total(2, 2));
            assertThat(store().load(stream)).hasSize(2);
        }

        @Test
        void a_stream_without_an_inline_view_reads_as_none() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null);

            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, stream)).isEmpty();
        }

        @Test
        void a_later_commit_replaces_the_view() {
            StreamId stream = newStream();
            store().append(stream, 0, events(1), null, List.of(total(stream, 1, 1)));

            store().append(stream, 1, events(1), null, List.of(total(stream, 2, 2)));

            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, stream)).contains(new RunningTotal.Total(2, 2));
        }

        @Test
        void a_value_another_stream_holds_refuses_the_whole_commit_and_names_the_value() {
            StreamId holder = newStream();
            StreamId latecomer = newStream();
            String value = "v-" + UUID.randomUUID();
            store().append(holder, 0, events(1), null, List.of(claim(value, holder)));

            assertThatThrownBy(() -> store().append(latecomer, 0, events(1), null, List.of(total(latecomer, 1, 1), claim(value, latecomer))))
                    .isInstanceOfSatisfying(UniqueValueTakenException.class, taken -> {
                        assertThat(taken.claim().value()).isEqualTo(value);
                        assertThat(taken.code()).isEqualTo("addition-taken");
                    });
            assertThat(store().load(latecomer)).isEmpty();
            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, latecomer)).isEmpty();
        }

        @Test
        void the_stream_that_holds_a_value_may_claim_it_again() {
            StreamId holder = newStream();
            String value = "v-" + UUID.randomUUID();
            store().append(holder, 0, events(1), null, List.of(claim(value, holder)));

            store().append(holder, 1, events(1), null, List.of(claim(value, holder)));

            assertThat(store().load(holder)).hasSize(2);
        }

        @Test
        void a_commit_that_conflicts_is_a_conflict_and_writes_neither_view_nor_claim() {
            StreamId stream = newStream();
            StreamId other = newStream();
            String value = "v-" + UUID.randomUUID();
            store().append(stream, 0, events(1), null, List.of(total(stream, 1, 1)));

            assertThatThrownBy(() -> store().append(stream, 0, events(1), null, List.of(total(stream, 9, 1), claim(value, stream))))
                    .isInstanceOf(VersionConflictException.class);
            store().append(other, 0, events(1), null, List.of(claim(value, other)));

            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, stream)).contains(new RunningTotal.Total(1, 1));
            assertThat(store().load(other)).as("the conflicting commit's claim was not kept").hasSize(1);
        }

        @Test
        void a_keyed_commit_writes_its_inline_writes_once_and_a_repeat_writes_nothing() {
            StreamId stream = newStream();
            Idempotency idempotency = newIdempotency("fp-inline");
            store().append(stream, 0, events(1), idempotency, List.of(total(stream, 1, 1)));

            AppendResult repeat = store().append(stream, 0, events(1), idempotency, List.of(total(stream, 7, 1)));

            assertThat(repeat).isInstanceOf(AppendResult.AlreadyCommitted.class);
            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, stream)).contains(new RunningTotal.Total(1, 1));
        }

        /** On DynamoDB a plain commit meeting a transaction in flight on its version is refused (TransactionConflictException). */
        @Test
        void plain_and_inline_commits_racing_for_one_version_commit_once_and_the_others_are_told_to_decide_again() throws Exception {
            for (int round = 0; round < 10; round++) {
                StreamId stream = newStream();
                AtomicInteger next = new AtomicInteger();

                List<Object> outcomes = race(8, () -> next.getAndIncrement() % 2 == 0
                        ? store().append(stream, 0, events(1), null, List.of(total(stream, 1, 1)))
                        : store().append(stream, 0, events(1), null));

                assertThat(outcomes).as("round %d", round).filteredOn(AppendResult.Appended.class::isInstance).hasSize(1);
                assertThat(outcomes).filteredOn(outcome -> !(outcome instanceof AppendResult.Appended))
                        .allSatisfy(outcome -> assertThat(outcome).isInstanceOfAny(VersionConflictException.class, WriteContendedException.class));
                assertThat(store().load(stream)).hasSize(1);
            }
        }

        @Test
        void of_16_streams_racing_for_one_value_exactly_one_commits() throws Exception {
            String value = "v-" + UUID.randomUUID();
            List<StreamId> streams = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                streams.add(newStream());
            }
            AtomicInteger next = new AtomicInteger();

            List<Object> outcomes = race(16, () -> {
                StreamId stream = streams.get(next.getAndIncrement());
                return store().append(stream, 0, events(1), null, List.of(total(stream, 1, 1), claim(value, stream)));
            });

            assertThat(outcomes).filteredOn(AppendResult.Appended.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(outcome -> !(outcome instanceof AppendResult.Appended))
                    // WriteContendedException: DynamoDB cancels a transaction that meets another in flight on the claim.
                    .allSatisfy(outcome -> assertThat(outcome).isInstanceOfAny(UniqueValueTakenException.class, VersionConflictException.class,
                            WriteContendedException.class));
            assertThat(streams).filteredOn(stream -> !store().load(stream).isEmpty()).hasSize(1);
            assertThat(streams).filteredOn(stream -> store().inlineView(RunningTotal.INLINE_TOTALS, stream).isPresent()).hasSize(1);
        }

        @Test
        void inline_writes_without_events_or_of_another_stream_are_refused_and_write_nothing() {
            StreamId stream = newStream();
            StreamId other = newStream();

            assertThatThrownBy(() -> store().append(stream, 0, List.of(), newIdempotency("fp"), List.of(total(stream, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("come with the events");
            assertThatThrownBy(() -> store().append(stream, 0, events(1), null, List.of(total(other, 1, 1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot commit with " + stream);
            assertThat(store().load(stream)).isEmpty();
            assertThat(store().inlineView(RunningTotal.INLINE_TOTALS, other)).isEmpty();
        }

        private static InlineWrite total(StreamId stream, long total, long version) {
            return new InlineWrite.View<>(RunningTotal.INLINE_TOTALS, stream, new RunningTotal.Total(total, version));
        }

        private static InlineWrite claim(String value, StreamId owner) {
            return new InlineWrite.Claim(RunningTotal.UNIQUE_ADDITION, value, owner);
        }
    }

    @Nested
    class Loading {

        @Test
        void a_stream_that_does_not_exist_loads_empty() {
            assertThat(store().load(newStream())).isEmpty();
        }

        @Test
        void a_range_is_inclusive_at_both_ends() {
            StreamId stream = newStream();
            store().append(stream, 0, events(5), null);

            assertThat(store().load(stream, 2, 4)).extracting(RecordedEvent::version).containsExactly(2L, 3L, 4L);
            assertThat(store().load(stream, 4, 100)).extracting(RecordedEvent::version).containsExactly(4L, 5L);
            assertThat(store().load(stream, 6, 10)).isEmpty();
            assertThat(store().load(stream, 5, 4)).isEmpty();
        }

        @Test
        void streams_whose_ids_share_a_prefix_or_whose_types_differ_stay_apart() {
            String id = "t-" + UUID.randomUUID();
            StreamId tally = StreamId.of(RunningTotal.STREAM_TYPE, id);
            StreamId longer = StreamId.of(RunningTotal.STREAM_TYPE, id + "0");
            StreamId otherType = StreamId.of("other", id);
            store().append(tally, 0, events(1), null);
            store().append(longer, 0, events(2), null);
            store().append(otherType, 0, events(3), null);
            store().saveSnapshot(snapshot(longer, 2, 1));

            assertThat(store().load(tally)).hasSize(1).allSatisfy(event -> assertThat(event.streamId()).isEqualTo(tally));
            assertThat(store().load(otherType)).hasSize(3);
            assertThat(store().loadTail(tally, 1, Long.MAX_VALUE).snapshot()).isNull();
            assertThat(store().loadAsOf(tally, T0.plusSeconds(1))).hasSize(1);
        }

        @Test
        void occurred_at_keeps_its_nanoseconds() {
            StreamId stream = newStream();
            Instant precise = Instant.parse("2026-03-01T10:00:00.123456789Z");
            store().append(stream, 0, List.of(added(1, precise, EventMetadata.forCommand("cmd-n"))), null);

            assertThat(store().load(stream)).singleElement().extracting(RecordedEvent::occurredAt).isEqualTo(precise);
        }

        @Test
        void a_stream_larger_than_one_read_page_loads_whole_and_in_order() {
            StreamId stream = newStream();
            String padding = "x".repeat(8 * 1024);
            int batches = 4;
            int perBatch = 40;
            for (int batch = 0; batch < batches; batch++) {
                List<NewEvent> events = new ArrayList<>();
                for (int i = 0; i < perBatch; i++) {
                    events.add(new NewEvent(UUID.randomUUID(), "Added", 1, T0,
                            "{\"amount\":1,\"padding\":\"" + padding + "\"}", EventMetadata.forCommand("cmd-" + batch)));
                }
                store().append(stream, (long) batch * perBatch, events, null);
            }

            List<RecordedEvent> loaded = store().load(stream);

            assertThat(loaded).hasSize(batches * perBatch);
            for (int i = 0; i < loaded.size(); i++) {
                assertThat(loaded.get(i).version()).isEqualTo(i + 1);
            }
            assertThat(store().load(stream, 2, 150)).hasSize(149);
            assertThat(store().loadAsOf(stream, T0)).hasSize(batches * perBatch);
            assertThat(store().loadTail(stream, 1, Long.MAX_VALUE).events()).hasSize(batches * perBatch);
        }
    }

    @Nested
    class As_of_an_instant {

        @Test
        void returns_the_events_that_had_occurred_by_then() {
            StreamId stream = newStream();
            appendAt(stream, 0, T0, T0.plusSeconds(10), T0.plusSeconds(20));

            assertThat(store().loadAsOf(stream, T0.plusSeconds(10))).extracting(RecordedEvent::version).containsExactly(1L, 2L);
            assertThat(store().loadAsOf(stream, T0.plusSeconds(15))).extracting(RecordedEvent::version).containsExactly(1L, 2L);
            assertThat(store().loadAsOf(stream, T0.minusMillis(1))).isEmpty();
            assertThat(store().loadAsOf(stream, T0.plus(Duration.ofDays(1)))).hasSize(3);
        }

        @Test
        void compares_instants_not_their_text() {
            StreamId stream = newStream();
            appendAt(stream, 0, T0, T0.plusMillis(500), T0.plusSeconds(1));

            assertThat(store().loadAsOf(stream, T0)).hasSize(1);
            assertThat(store().loadAsOf(stream, T0.plusMillis(999))).hasSize(2);
            assertThat(store().loadAsOf(stream, T0.plusSeconds(1))).hasSize(3);
        }

        @Test
        void stops_at_the_first_later_event_even_if_a_slow_clock_wrote_an_earlier_time_after_it() {
            StreamId stream = newStream();
            appendAt(stream, 0, T0, T0.plusSeconds(20), T0.plusSeconds(5));

            assertThat(store().loadAsOf(stream, T0.plusSeconds(10))).extracting(RecordedEvent::version).containsExactly(1L);
        }
    }

    @Nested
    class Snapshots {

        @Test
        void without_a_snapshot_the_tail_is_the_whole_stream() {
            StreamId stream = newStream();
            store().append(stream, 0, events(3), null);

            StreamTail tail = store().loadTail(stream, 1, Long.MAX_VALUE);

            assertThat(tail.snapshot()).isNull();
            assertThat(tail.events()).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
        }

        @Test
        void the_tail_starts_after_the_newest_snapshot_of_the_schema() {
            StreamId stream = newStream();
            store().append(stream, 0, events(6), null);
            store().saveSnapshot(snapshot(stream, 2, 1));
            store().saveSnapshot(snapshot(stream, 4, 1));

            StreamTail tail = store().loadTail(stream, 1, Long.MAX_VALUE);

            assertThat(tail.snapshot()).isEqualTo(snapshot(stream, 4, 1));
            assertThat(tail.events()).extracting(RecordedEvent::version).containsExactly(5L, 6L);
        }

        @Test
        void snapshots_of_another_schema_are_passed_over() {
            StreamId stream = newStream();
            store().append(stream, 0, events(6), null);
            store().saveSnapshot(snapshot(stream, 2, 1));
            store().saveSnapshot(snapshot(stream, 4, 2));

            StreamTail tail = store().loadTail(stream, 1, Long.MAX_VALUE);

            assertThat(tail.snapshot()).isEqualTo(snapshot(stream, 2, 1));
            assertThat(tail.events()).extracting(RecordedEvent::version).containsExactly(3L, 4L, 5L, 6L);
        }

        @Test
        void a_tail_up_to_a_version_ignores_the_snapshots_after_it() {
            StreamId stream = newStream();
            store().append(stream, 0, events(6), null);
            store().saveSnapshot(snapshot(stream, 2, 1));
            store().saveSnapshot(snapshot(stream, 4, 1));

            StreamTail tail = store().loadTail(stream, 1, 3);

            assertThat(tail.snapshot()).isEqualTo(snapshot(stream, 2, 1));
            assertThat(tail.events()).extracting(RecordedEvent::version).containsExactly(3L);
        }

        @Test
        void a_tail_that_ends_at_the_snapshot_has_no_events() {
            StreamId stream = newStream();
            store().append(stream, 0, events(4), null);
            store().saveSnapshot(snapshot(stream, 4, 1));

            StreamTail tail = store().loadTail(stream, 1, Long.MAX_VALUE);
            StreamTail toTheSnapshot = store().loadTail(stream, 1, 4);

            assertThat(tail.snapshot()).isEqualTo(snapshot(stream, 4, 1));
            assertThat(tail.events()).isEmpty();
            assertThat(toTheSnapshot.snapshot()).isEqualTo(snapshot(stream, 4, 1));
            assertThat(toTheSnapshot.events()).isEmpty();
        }

        @Test
        void an_older_snapshot_saved_later_does_not_hide_a_newer_one() {
            StreamId stream = newStream();
            store().append(stream, 0, events(5), null);
            store().saveSnapshot(snapshot(stream, 4, 1));
            store().saveSnapshot(snapshot(stream, 2, 1));

            assertThat(store().loadTail(stream, 1, Long.MAX_VALUE).snapshot()).isEqualTo(snapshot(stream, 4, 1));
        }

        @Test
        void a_second_save_at_the_same_version_replaces_the_first() {
            StreamId stream = newStream();
            store().append(stream, 0, events(3), null);
            store().saveSnapshot(new Snapshot(stream, 3, 1, "{\"total\":1,\"additions\":1}"));
            Snapshot replacement = new Snapshot(stream, 3, 1, "{\"total\":3,\"additions\":3}");

            store().saveSnapshot(replacement);

            assertThat(store().loadTail(stream, 1, Long.MAX_VALUE).snapshot()).isEqualTo(replacement);
        }

        @Test
        void snapshots_never_appear_among_the_events() {
            StreamId stream = newStream();
            store().append(stream, 0, events(2), null);

            store().saveSnapshot(snapshot(stream, 2, 1));

            assertThat(store().load(stream)).hasSize(2);
            assertThat(store().append(stream, 2, events(1), null).commit().streamVersion()).isEqualTo(3);
        }

        @Test
        void a_loader_uses_a_snapshot_of_its_schema_and_replays_only_what_follows() {
            StreamId stream = newStream();
            AggregateRepository<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> repository = new AggregateRepository<>(RunningTotal.TYPE, store());
            store().append(stream, 0, tallyEvents(1, 2, 3, 4, 5), null);
            store().saveSnapshot(new Snapshot(stream, 3, 1, RunningTotal.TYPE.state().encode(new RunningTotal.State(6, 3))));

            LoadedAggregate<RunningTotal.State> loaded = repository.load(stream);

            assertThat(loaded.state()).isEqualTo(new RunningTotal.State(15, 5));
            assertThat(loaded.snapshotVersion()).isEqualTo(3);
            assertThat(loaded.eventsReplayed()).isEqualTo(2);
            assertThat(loaded.version()).isEqualTo(5);
        }

        @Test
        void a_loader_replays_from_the_start_when_the_snapshot_schema_differs() {
            StreamId stream = newStream();
            AggregateRepository<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> repository = new AggregateRepository<>(RunningTotal.TYPE, store());
            store().append(stream, 0, tallyEvents(1, 2, 3), null);
            store().saveSnapshot(new Snapshot(stream, 2, 99, "{\"shape\":\"of another era\"}"));

            LoadedAggregate<RunningTotal.State> loaded = repository.load(stream);

            assertThat(loaded.state()).isEqualTo(new RunningTotal.State(6, 3));
            assertThat(loaded.snapshotVersion()).isZero();
            assertThat(loaded.eventsReplayed()).isEqualTo(3);
        }

        @Test
        void a_loader_replays_from_the_start_when_the_snapshot_does_not_decode() {
            StreamId stream = newStream();
            AggregateRepository<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> repository = new AggregateRepository<>(RunningTotal.TYPE, store());
            store().append(stream, 0, tallyEvents(1, 2), null);
            store().saveSnapshot(new Snapshot(stream, 2, 1, "{\"unexpected\":true}"));

            LoadedAggregate<RunningTotal.State> loaded = repository.load(stream);

            assertThat(loaded.state()).isEqualTo(new RunningTotal.State(3, 2));
            assertThat(loaded.eventsReplayed()).isEqualTo(2);
        }

        @Test
        void a_load_at_a_version_before_the_snapshot_replays_from_the_start() {
            StreamId stream = newStream();
            AggregateRepository<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> repository = new AggregateRepository<>(RunningTotal.TYPE, store());
            store().append(stream, 0, tallyEvents(1, 2, 3, 4), null);
            store().saveSnapshot(new Snapshot(stream, 3, 1, RunningTotal.TYPE.state().encode(new RunningTotal.State(6, 3))));

            LoadedAggregate<RunningTotal.State> atTwo = repository.loadAtVersion(stream, 2);

            assertThat(atTwo.state()).isEqualTo(new RunningTotal.State(3, 2));
            assertThat(atTwo.snapshotVersion()).isZero();
        }
    }

    /** Runs {@code writers} copies of {@code task} released at once; each outcome is a result or the exception thrown. */
    protected static List<Object> race(int writers, Callable<?> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return task.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    protected static StreamId newStream() {
        return StreamId.of(RunningTotal.STREAM_TYPE, "t-" + UUID.randomUUID());
    }

    protected static IdempotencyKey newKey() {
        return new IdempotencyKey("key-" + UUID.randomUUID());
    }

    private static Snapshot snapshot(StreamId stream, long version, int schemaVersion) {
        return new Snapshot(stream, version, schemaVersion, "{\"total\":" + version + ",\"additions\":" + version + "}");
    }

    private static Idempotency newIdempotency(String fingerprint) {
        return new Idempotency(newKey(), fingerprint);
    }

    private static NewEvent added(long amount, Instant at, EventMetadata metadata) {
        SerializedEvent serialized = RunningTotal.CODEC.encode(new RunningTotal.Added(amount));
        return new NewEvent(UUID.randomUUID(), serialized.type(), serialized.schemaVersion(), at, serialized.payload(), metadata);
    }

    protected static List<NewEvent> events(int count) {
        List<NewEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(added(1, T0, EventMetadata.forCommand("cmd-" + UUID.randomUUID())));
        }
        return events;
    }

    private static List<NewEvent> tallyEvents(long... amounts) {
        List<NewEvent> events = new ArrayList<>(amounts.length);
        for (long amount : amounts) {
            events.add(added(amount, T0, EventMetadata.forCommand("cmd-tally")));
        }
        return events;
    }

    private void appendAt(StreamId stream, long expectedVersion, Instant... instants) {
        List<NewEvent> events = new ArrayList<>(instants.length);
        for (Instant instant : instants) {
            events.add(added(1, instant, EventMetadata.forCommand("cmd-" + instant.toEpochMilli())));
        }
        store().append(stream, expectedVersion, events, null);
    }
}
