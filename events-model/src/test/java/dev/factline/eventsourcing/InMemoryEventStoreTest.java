package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemoryEventStoreTest extends EventStoreContract {

    private final InMemoryEventStore store = new InMemoryEventStore();

    @Override
    protected EventStore store() {
        return store;
    }

    /**
     * Beyond the contract: callers only ever pass a head they have read, so a store need not
     * detect an expectation past the end or inside an earlier commit (a DynamoDB conditional
     * put cannot), but this one does.
     */
    @Test
    void an_expected_version_past_the_end_is_a_conflict_not_a_gap() {
        StreamId stream = newStream();
        store.append(stream, 0, events(2), null);

        assertThatThrownBy(() -> store.append(stream, 5, events(1), null))
                .isInstanceOfSatisfying(VersionConflictException.class, conflict -> {
                    assertThat(conflict.expectedVersion()).isEqualTo(5);
                    assertThat(conflict.actualVersion()).isEqualTo(2);
                });
        assertThat(store.load(stream)).extracting(RecordedEvent::version).containsExactly(1L, 2L);
    }

    @Test
    void an_expected_version_inside_an_earlier_commit_is_a_conflict() {
        StreamId stream = newStream();
        store.append(stream, 0, events(2), null);

        assertThatThrownBy(() -> store.append(stream, 1, events(1), null)).isInstanceOf(VersionConflictException.class);
        assertThat(store.load(stream)).hasSize(2);
    }
}
