package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandHandlerTest {

    private static final Instant NOW = Instant.parse("2026-05-06T07:08:09Z");
    private static final InstantSource CLOCK = InstantSource.fixed(NOW);
    private static final StreamId STREAM = RunningTotal.TYPE.streamId("t-1");
    private static final EventMetadata METADATA = new EventMetadata("cmd-1", "corr-1", "cause-1");

    private final InMemoryEventStore memory = new InMemoryEventStore();
    private final AtomicLong idCounter = new AtomicLong();
    private final IdGenerator ids = () -> new UUID(0, idCounter.incrementAndGet());

    /** No snapshots, no pauses, no memory of recent streams: each call starts cold. */
    private static final WritePolicy COLD = WritePolicy.defaults()
            .withSnapshots(SnapshotPolicy.never())
            .withBackoff(RetryBackoff.none())
            .withRecentStreams(0);

    private CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> handler(EventStore store) {
        return new CommandHandler<>(RunningTotal.TYPE, store, CLOCK, ids, COLD);
    }

    private static CommandRequest<RunningTotal.Command> add(long amount) {
        return CommandRequest.of(STREAM, new RunningTotal.Add(amount), METADATA);
    }

    private static CommandRequest<RunningTotal.Command> touch() {
        return CommandRequest.of(STREAM, new RunningTotal.Touch(), METADATA);
    }

    @Nested
    class Inline_models {

        private final InlineModels<RunningTotal.Event> inline =
                new InlineModels<>(List.of(RunningTotal.INLINE_TOTALS), List.of(RunningTotal.UNIQUE_ADDITION));
        private final AtomicInteger rowReads = new AtomicInteger();
        private final EventStore counting = new ForwardingEventStore(memory) {
            @Override
            public <V> Optional<V> inlineView(StreamView<?, V> model, StreamId stream) {
                rowReads.incrementAndGet();
                return super.inlineView(model, stream);
            }
        };

        private CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> inlineHandler(WritePolicy policy) {
            return new CommandHandler<>(RunningTotal.TYPE, inline, counting, CLOCK, ids, policy);
        }

        private RunningTotal.Total replayed(StreamId stream) {
            return RunningTotal.TOTALS.replay(null, memory.load(stream), RunningTotal.CODEC);
        }

        @Test
        void each_commit_writes_the_view_the_fold_of_its_stream_gives() {
            CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> handler = inlineHandler(COLD);

            handler.handle(add(5));
            handler.handle(add(7));

            assertThat(memory.inlineView(RunningTotal.INLINE_TOTALS, STREAM)).contains(new RunningTotal.Total(12, 2)).contains(replayed(STREAM));
        }

        @Test
        void a_warm_handler_folds_onto_the_view_it_wrote_and_reads_no_row() {
            CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> warm = inlineHandler(COLD.withRecentStreams(10));
            warm.handle(add(5));
            int readsAfterFirst = rowReads.get();

            warm.handle(add(7));
            warm.handle(add(9));

            assertThat(readsAfterFirst).as("a new stream has no row to read").isZero();
            assertThat(rowReads).hasValue(0);
            assertThat(memory.inlineView(RunningTotal.INLINE_TOTALS, STREAM)).contains(new RunningTotal.Total(21, 3));
        }

        @Test
        void a_cold_handler_reads_the_row_once_per_command() {
            inlineHandler(COLD).handle(add(5));

            inlineHandler(COLD).handle(add(7));

            assertThat(rowReads).hasValue(1);
            assertThat(memory.inlineView(RunningTotal.INLINE_TOTALS, STREAM)).contains(new RunningTotal.Total(12, 2));
        }

        @Test
        void a_stream_older_than_the_model_gets_its_view_from_its_history() {
            handler(memory).handle(add(5));
            handler(memory).handle(add(7));

            inlineHandler(COLD).handle(add(9));

            assertThat(memory.inlineView(RunningTotal.INLINE_TOTALS, STREAM)).contains(new RunningTotal.Total(21, 3)).contains(replayed(STREAM));
        }

        @Test
        void a_value_another_stream_holds_refuses_the_command_and_writes_nothing() {
            StreamId other = RunningTotal.TYPE.streamId("t-2");
            inlineHandler(COLD).handle(add(5));

            assertThatThrownBy(() -> inlineHandler(COLD).handle(CommandRequest.of(other, new RunningTotal.Add(5), METADATA)))
                    .isInstanceOfSatisfying(UniqueValueTakenException.class, taken -> assertThat(taken).hasMessageContaining("addition '5'"));
            assertThat(memory.load(other)).isEmpty();
            assertThat(memory.inlineView(RunningTotal.INLINE_TOTALS, other)).isEmpty();
        }

        @Test
        void a_conflict_forgets_the_remembered_view_and_folds_onto_the_winners_row() {
            CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> warm = inlineHandler(COLD.withRecentStreams(10));
            warm.handle(add(5));
            inlineHandler(COLD).handle(add(7));

            warm.handle(add(9));

            assertThat(memory.inlineView(RunningTotal.INLINE_TOTALS, STREAM)).contains(new RunningTotal.Total(21, 3)).contains(replayed(STREAM));
        }
    }

    @Nested
    class Deciding_and_appending {

        @Test
        void decided_events_are_recorded_with_the_clock_the_ids_and_the_metadata() {
            CommandResult result = handler(memory).handle(add(5));

            assertThat(result.replayed()).isFalse();
            assertThat(result.conflicts()).isZero();
            assertThat(result.commit()).isEqualTo(new Commit(STREAM, 0, 1));
            assertThat(result.events()).containsExactly(
                    new RecordedEvent(new UUID(0, 1), STREAM, 1, "Added", 1, NOW, "{\"amount\":5}", METADATA));
            assertThat(memory.load(STREAM)).isEqualTo(result.events());
        }

        @Test
        void a_refused_command_writes_nothing() {
            handler(memory).handle(add(RunningTotal.LIMIT));

            assertThatThrownBy(() -> handler(memory).handle(add(1)))
                    .isInstanceOfSatisfying(DomainRuleViolationException.class, refusal -> assertThat(refusal.code()).isEqualTo("over-limit"));
            assertThat(memory.load(STREAM)).hasSize(1);
        }

        @Test
        void a_decision_of_nothing_writes_nothing_and_reports_the_current_version() {
            handler(memory).handle(add(1));

            CommandResult result = handler(memory).handle(touch());

            assertThat(result.commit()).isEqualTo(new Commit(STREAM, 1, 0));
            assertThat(result.events()).isEmpty();
        }

        @Test
        void a_stream_of_another_aggregate_type_is_refused() {
            StreamId foreign = StreamId.of("order", "o-1");

            assertThatThrownBy(() -> handler(memory).handle(CommandRequest.of(foreign, new RunningTotal.Add(1), METADATA)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("order#o-1 is not a tally stream");
        }
    }

    @Nested
    class Concurrency {

        @Test
        void a_conflict_reloads_and_decides_again_on_the_new_state() {
            AtomicInteger appends = new AtomicInteger();
            EventStore racing = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    if (appends.getAndIncrement() == 0) {
                        handler(memory).handle(add(100));
                    }
                    return super.append(streamId, expected, events, idempotency, inline);
                }
            };

            CommandResult result = handler(racing).handle(add(5));

            assertThat(appends).hasValue(2);
            assertThat(result.commit()).isEqualTo(new Commit(STREAM, 1, 1));
            assertThat(result.conflicts()).isEqualTo(1);
            assertThat(handler(memory).repository().load(STREAM).state()).isEqualTo(new RunningTotal.State(105, 2));
        }

        @Test
        void writers_that_keep_racing_end_in_a_conflict_after_the_bounded_attempts() {
            AtomicInteger appends = new AtomicInteger();
            EventStore alwaysBeaten = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    appends.incrementAndGet();
                    handler(memory).handle(add(1));
                    return super.append(streamId, expected, events, idempotency, inline);
                }
            };

            assertThatThrownBy(() -> handler(alwaysBeaten).handle(add(5))).isInstanceOf(VersionConflictException.class);
            assertThat(appends).hasValue(WritePolicy.DEFAULT_MAX_ATTEMPTS);
        }

        @Test
        void a_pinned_version_that_moved_is_a_conflict_without_a_retry_or_a_write() {
            handler(memory).handle(add(1));

            assertThatThrownBy(() -> handler(memory).handle(add(5).pinnedTo(0)))
                    .isInstanceOfSatisfying(VersionConflictException.class, conflict -> {
                        assertThat(conflict.expectedVersion()).isZero();
                        assertThat(conflict.actualVersion()).isEqualTo(1);
                    });
            assertThat(memory.load(STREAM)).hasSize(1);
        }

        @Test
        void a_contended_write_is_tried_again_even_when_pinned_since_the_stream_did_not_move() {
            handler(memory).handle(add(1));
            AtomicInteger appends = new AtomicInteger();
            EventStore contendedOnce = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    if (appends.getAndIncrement() == 0) {
                        throw new WriteContendedException(streamId, "held by another transaction");
                    }
                    return super.append(streamId, expected, events, idempotency, inline);
                }
            };

            CommandResult result = handler(contendedOnce).handle(add(5).pinnedTo(1));

            assertThat(appends).hasValue(2);
            assertThat(result.streamVersion()).isEqualTo(2);
        }

        @Test
        void contention_and_version_conflicts_each_have_their_own_bounded_attempts() {
            int each = WritePolicy.DEFAULT_MAX_ATTEMPTS - 1;
            AtomicInteger appends = new AtomicInteger();
            EventStore contendedThenConflicting = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    int attempt = appends.getAndIncrement();
                    if (attempt < each) {
                        throw new WriteContendedException(streamId, "held by another transaction");
                    }
                    if (attempt < 2 * each) {
                        throw new VersionConflictException(streamId, expected, expected + 1);
                    }
                    return super.append(streamId, expected, events, idempotency, inline);
                }
            };

            CommandResult result = handler(contendedThenConflicting).handle(add(5));

            assertThat(appends).hasValue(2 * each + 1);
            assertThat(result.streamVersion()).isEqualTo(1);
        }

        @Test
        void a_write_contended_on_every_attempt_gives_up_after_the_bounded_attempts_and_writes_nothing() {
            AtomicInteger appends = new AtomicInteger();
            EventStore alwaysContended = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    appends.incrementAndGet();
                    throw new WriteContendedException(streamId, "held by another transaction");
                }
            };

            assertThatThrownBy(() -> handler(alwaysContended).handle(add(5))).isInstanceOf(WriteContendedException.class);
            assertThat(appends).hasValue(WritePolicy.DEFAULT_MAX_ATTEMPTS);
            assertThat(memory.load(STREAM)).isEmpty();
        }

        @Test
        void a_pinned_version_that_holds_lets_the_command_through() {
            handler(memory).handle(add(1));

            assertThat(handler(memory).handle(add(5).pinnedTo(1)).streamVersion()).isEqualTo(2);
        }
    }

    @Nested
    class Idempotency_keys {

        private final Idempotency idempotency = new Idempotency(new IdempotencyKey("key-0001"), "fingerprint-a");

        @Test
        void a_repeat_replays_the_original_result_and_writes_nothing() {
            CommandResult first = handler(memory).handle(add(5).withIdempotency(idempotency));

            CommandResult repeat = handler(memory).handle(add(5).withIdempotency(idempotency));

            assertThat(repeat.replayed()).isTrue();
            assertThat(repeat.commit()).isEqualTo(first.commit());
            assertThat(repeat.events()).isEqualTo(first.events());
            assertThat(memory.load(STREAM)).hasSize(1);
        }

        @Test
        void a_repeat_that_the_rules_would_now_refuse_still_gets_the_original_result() {
            handler(memory).handle(add(RunningTotal.LIMIT).withIdempotency(idempotency));

            CommandResult repeat = handler(memory).handle(add(RunningTotal.LIMIT).withIdempotency(idempotency));

            assertThat(repeat.replayed()).isTrue();
            assertThat(memory.load(STREAM)).hasSize(1);
        }

        @Test
        void a_repeat_pinned_to_the_version_it_moved_gets_the_original_result_not_a_conflict() {
            handler(memory).handle(add(5).pinnedTo(0).withIdempotency(idempotency));

            CommandResult repeat = handler(memory).handle(add(5).pinnedTo(0).withIdempotency(idempotency));

            assertThat(repeat.replayed()).isTrue();
            assertThat(repeat.streamVersion()).isEqualTo(1);
        }

        @Test
        void a_key_reused_for_another_request_is_refused() {
            handler(memory).handle(add(5).withIdempotency(idempotency));
            Idempotency other = new Idempotency(idempotency.key(), "fingerprint-b");

            assertThatThrownBy(() -> handler(memory).handle(add(RunningTotal.LIMIT).withIdempotency(other)))
                    .isInstanceOf(IdempotencyKeyReusedException.class);
            assertThatThrownBy(() -> handler(memory).handle(add(6).withIdempotency(other)))
                    .isInstanceOf(IdempotencyKeyReusedException.class);
            assertThat(memory.load(STREAM)).hasSize(1);
        }

        @Test
        void a_keyed_decision_of_nothing_is_remembered() {
            handler(memory).handle(add(1));

            CommandResult first = handler(memory).handle(touch().withIdempotency(idempotency));
            CommandResult repeat = handler(memory).handle(touch().withIdempotency(idempotency));

            assertThat(first.replayed()).isFalse();
            assertThat(repeat.replayed()).isTrue();
            assertThat(repeat.commit()).isEqualTo(new Commit(STREAM, 1, 0));
        }

        @Test
        void a_repeat_that_the_store_reports_as_a_conflict_is_answered_from_the_record() {
            CommandResult first = handler(memory).handle(add(5).withIdempotency(idempotency));
            EventStore conflictsOnRepeats = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency key,
                        List<InlineWrite> inline) {
                    if (key != null && memory.findIdempotencyRecord(key.key()).isPresent()) {
                        throw new VersionConflictException(streamId, expected, memory.load(streamId).size());
                    }
                    return super.append(streamId, expected, events, key, inline);
                }
            };
            handler(memory).handle(add(1));

            CommandResult repeat = handler(conflictsOnRepeats).handle(add(5).withIdempotency(idempotency));

            assertThat(repeat.replayed()).isTrue();
            assertThat(repeat.commit()).isEqualTo(first.commit());
            assertThat(memory.load(STREAM)).hasSize(2);
        }

        @Test
        void the_same_request_on_another_stream_is_a_reuse_of_the_key() {
            handler(memory).handle(add(5).withIdempotency(idempotency));
            CommandRequest<RunningTotal.Command> elsewhere =
                    CommandRequest.<RunningTotal.Command>of(RunningTotal.TYPE.streamId("t-2"), new RunningTotal.Add(5), METADATA).withIdempotency(idempotency);

            assertThatThrownBy(() -> handler(memory).handle(elsewhere)).isInstanceOf(IdempotencyKeyReusedException.class);
        }

        @Test
        void a_repeat_is_answered_even_when_this_build_cannot_read_the_stream() {
            CommandResult first = handler(memory).handle(add(5).withIdempotency(idempotency));
            EventStore unreadable = new ForwardingEventStore(memory) {
                @Override
                public StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion) {
                    throw new EventDecodingException(memory.load(streamId).getFirst(), "written by a newer build", null);
                }
            };

            CommandResult repeat = handler(unreadable).handle(add(5).withIdempotency(idempotency));

            assertThat(repeat.replayed()).isTrue();
            assertThat(repeat.commit()).isEqualTo(first.commit());
            assertThatThrownBy(() -> handler(unreadable).handle(add(5))).isInstanceOf(EventDecodingException.class);
        }

        @Test
        void a_first_request_costs_no_idempotency_lookup() {
            AtomicInteger lookups = new AtomicInteger();
            EventStore counting = new ForwardingEventStore(memory) {
                @Override
                public java.util.Optional<IdempotencyRecord> findIdempotencyRecord(IdempotencyKey key) {
                    lookups.incrementAndGet();
                    return super.findIdempotencyRecord(key);
                }
            };

            handler(counting).handle(add(5).withIdempotency(idempotency));

            assertThat(lookups).hasValue(0);
        }
    }

    @Nested
    class A_warm_handler {

        private final AtomicInteger reads = new AtomicInteger();
        private final AtomicInteger appends = new AtomicInteger();
        private final EventStore counting = new ForwardingEventStore(memory) {
            @Override
            public StreamTail loadTail(StreamId streamId, int stateSchemaVersion, long toVersion) {
                reads.incrementAndGet();
                return super.loadTail(streamId, stateSchemaVersion, toVersion);
            }

            @Override
            public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                appends.incrementAndGet();
                return super.append(streamId, expected, events, idempotency, inline);
            }
        };
        private final CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> warm =
                new CommandHandler<>(RunningTotal.TYPE, counting, CLOCK, ids, COLD.withRecentStreams(10));

        @Test
        void appends_to_a_stream_it_last_wrote_without_reading_it() {
            warm.handle(add(1));
            reads.set(0);
            appends.set(0);

            CommandResult second = warm.handle(add(2));

            assertThat(reads).hasValue(0);
            assertThat(appends).hasValue(1);
            assertThat(second.commit()).isEqualTo(new Commit(STREAM, 1, 1));
        }

        @Test
        void a_stream_moved_on_by_another_writer_is_reloaded_after_the_conflict() {
            warm.handle(add(1));
            handler(memory).handle(add(10));

            CommandResult result = warm.handle(add(2));

            assertThat(result.commit()).isEqualTo(new Commit(STREAM, 2, 1));
            assertThat(handler(memory).repository().load(STREAM).state()).isEqualTo(new RunningTotal.State(13, 3));
        }

        @Test
        void a_refusal_decided_on_a_remembered_state_is_checked_against_a_fresh_load() {
            warm.handle(add(RunningTotal.LIMIT));
            handler(memory).handle(CommandRequest.of(STREAM, new RunningTotal.Clear(), METADATA));

            CommandResult result = warm.handle(add(5));

            assertThat(result.streamVersion()).isEqualTo(3);
            assertThat(handler(memory).repository().load(STREAM).state().total()).isEqualTo(5);
        }

        @Test
        void a_pin_that_the_remembered_version_misses_is_checked_against_a_fresh_load() {
            warm.handle(add(1));
            handler(memory).handle(add(1));

            assertThat(warm.handle(add(1).pinnedTo(2)).streamVersion()).isEqualTo(3);
        }

        @Test
        void a_decision_of_nothing_reports_the_version_of_a_fresh_load() {
            warm.handle(add(1));
            handler(memory).handle(add(1));

            assertThat(warm.handle(touch()).streamVersion()).isEqualTo(2);
        }

        @Test
        void handlers_alternating_on_one_stream_stop_trusting_their_memory_after_three_stale_states() {
            var other = new CommandHandler<>(RunningTotal.TYPE, counting, CLOCK, ids, COLD.withRecentStreams(10));
            warm.handle(add(1));
            other.handle(add(1));
            List<Integer> conflicts = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                conflicts.add(warm.handle(add(1)).conflicts());
                conflicts.add(other.handle(add(1)).conflicts());
            }
            reads.set(0);
            appends.set(0);

            CommandResult loadedFirst = warm.handle(add(1));

            // Each stale state cost a refused append; from the fourth on, each handler loads first.
            assertThat(conflicts).containsExactly(1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
            assertThat(loadedFirst.conflicts()).isZero();
            assertThat(reads).hasValue(1);
            assertThat(appends).hasValue(1);
            assertThat(handler(memory).repository().load(STREAM).state()).isEqualTo(new RunningTotal.State(15, 15));
        }

        @Test
        void trust_comes_back_once_the_remembered_states_would_have_been_current() {
            var other = new CommandHandler<>(RunningTotal.TYPE, counting, CLOCK, ids, COLD.withRecentStreams(10));
            for (int round = 0; round < 4; round++) {
                warm.handle(add(1));
                other.handle(add(1));
            }
            List<Integer> readsAlone = new ArrayList<>();
            for (int command = 0; command < 4; command++) {
                reads.set(0);
                warm.handle(add(1));
                readsAlone.add(reads.get());
            }

            // Alone on the stream, the loads it makes instead find its memory current, and after three it trusts it again.
            assertThat(readsAlone).containsExactly(1, 1, 1, 0);
        }

        @Test
        void a_conflict_on_a_remembered_state_does_not_use_up_the_bounded_attempts() {
            AtomicInteger racingAppends = new AtomicInteger();
            AtomicBoolean racing = new AtomicBoolean();
            EventStore beatenWhileRacing = new ForwardingEventStore(memory) {
                @Override
                public AppendResult append(StreamId streamId, long expected, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    if (racing.get()) {
                        racingAppends.incrementAndGet();
                        handler(memory).handle(add(1));
                    }
                    return super.append(streamId, expected, events, idempotency, inline);
                }
            };
            var beaten = new CommandHandler<>(RunningTotal.TYPE, beatenWhileRacing, CLOCK, ids, COLD.withRecentStreams(10));
            beaten.handle(add(1));
            racing.set(true);

            assertThatThrownBy(() -> beaten.handle(add(1))).isInstanceOf(VersionConflictException.class);
            assertThat(racingAppends).hasValue(1 + WritePolicy.DEFAULT_MAX_ATTEMPTS);
        }
    }

    @Nested
    class Snapshots {

        private CommandHandler<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> snapshottingEvery(int events, EventStore store) {
            return new CommandHandler<>(RunningTotal.TYPE, store, CLOCK, ids, COLD.withSnapshots(SnapshotPolicy.every(events)));
        }

        @Test
        void a_commit_crossing_the_interval_saves_the_state_after_it() {
            var handler = snapshottingEvery(3, memory);
            for (int i = 1; i <= 4; i++) {
                handler.handle(add(i));
            }

            assertThat(memory.loadTail(STREAM, 1, Long.MAX_VALUE).snapshot()).satisfies(snapshot -> {
                assertThat(snapshot.version()).isEqualTo(3);
                assertThat(RunningTotal.TYPE.state().decode(snapshot.state())).isEqualTo(new RunningTotal.State(6, 3));
            });
            LoadedAggregate<RunningTotal.State> loaded = handler.repository().load(STREAM);
            assertThat(loaded.snapshotVersion()).isEqualTo(3);
            assertThat(loaded.eventsReplayed()).isEqualTo(1);
            assertThat(loaded.state()).isEqualTo(new RunningTotal.State(10, 4));
        }

        @Test
        void a_snapshot_that_cannot_be_saved_does_not_fail_the_command_and_is_reported() {
            IllegalStateException unavailable = new IllegalStateException("snapshot table unavailable");
            EventStore brokenSnapshots = new ForwardingEventStore(memory) {
                @Override
                public void saveSnapshot(Snapshot snapshot) {
                    throw unavailable;
                }
            };
            List<String> warned = new ArrayList<>();
            var handler = new CommandHandler<>(RunningTotal.TYPE, InlineModels.none(), brokenSnapshots, CLOCK, ids,
                    COLD.withSnapshots(SnapshotPolicy.every(1)), (message, cause) -> warned.add(message + " / " + cause));

            CommandResult result = handler.handle(add(5));

            assertThat(result.streamVersion()).isEqualTo(1);
            assertThat(memory.load(STREAM)).hasSize(1);
            assertThat(warned).containsExactly("could not snapshot " + STREAM + " at version 1; loads replay further until the next one / " + unavailable);
        }
    }
}
