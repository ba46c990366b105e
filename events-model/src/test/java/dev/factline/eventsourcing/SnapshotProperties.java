package dev.factline.eventsourcing;

import static dev.factline.eventsourcing.Generators.integers;
import static dev.factline.eventsourcing.Generators.lists;
import static dev.factline.eventsourcing.Generators.longs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SnapshotProperties {

    @Test
    void a_snapshot_is_due_exactly_when_a_commit_crosses_a_multiple_of_the_interval() {
        qt().withExamples(1_000).forAll(longs(0, 10_000), integers(0, 150), integers(1, 200)).checkAssert((previousVersion, eventCount, every) -> {
            boolean crosses = LongStream.rangeClosed(previousVersion + 1, previousVersion + eventCount).anyMatch(v -> v % every == 0);

            assertThat(SnapshotPolicy.every(every).isDue(new Commit(StreamId.of("tally", "t"), previousVersion, eventCount))).isEqualTo(crosses);
        });
    }

    @Test
    void loading_from_any_snapshot_equals_a_full_replay() {
        qt().withExamples(1_000).forAll(lists(integers(0, 1_000), 1, 60), integers(1, 60)).checkAssert((amounts, snapshotAt) -> {
            InMemoryEventStore store = new InMemoryEventStore();
            StreamId stream = StreamId.of(RunningTotal.STREAM_TYPE, "t-1");
            List<NewEvent> events = new ArrayList<>();
            for (int amount : amounts) {
                SerializedEvent encoded = RunningTotal.CODEC.encode(new RunningTotal.Added(amount));
                events.add(new NewEvent(UUID.randomUUID(), encoded.type(), encoded.schemaVersion(), Instant.EPOCH, encoded.payload(),
                        EventMetadata.forCommand("c-1")));
            }
            store.append(stream, 0, events, null);
            AggregateRepository<RunningTotal.Command, RunningTotal.Event, RunningTotal.State> repository = new AggregateRepository<>(RunningTotal.TYPE, store);
            List<RunningTotal.Event> history = amounts.stream().<RunningTotal.Event>map(RunningTotal.Added::new).toList();
            int snapshotVersion = Math.min(snapshotAt, amounts.size());
            RunningTotal.State atSnapshot = RunningTotal.DECIDER.evolveAll(RunningTotal.DECIDER.initialState(), history.subList(0, snapshotVersion));
            store.saveSnapshot(new Snapshot(stream, snapshotVersion, 1, RunningTotal.TYPE.state().encode(atSnapshot)));

            LoadedAggregate<RunningTotal.State> fromSnapshot = repository.load(stream);

            assertThat(fromSnapshot.state()).isEqualTo(RunningTotal.DECIDER.evolveAll(RunningTotal.DECIDER.initialState(), history));
            assertThat(fromSnapshot.version()).isEqualTo(amounts.size());
            assertThat(fromSnapshot.eventsReplayed()).isEqualTo(amounts.size() - snapshotVersion);
        });
    }
}
