package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.AppendTooLargeException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalDynamo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DynamoDbEventStoreLimitsIT {

    private static DynamoDbEventStore store;

    @BeforeAll
    static void createTable() {
        EventTable table = new EventTable("limits-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);
        store = new DynamoDbEventStore(LocalDynamo.shared().client(), table, StoreLimits.defaults(), Clock.systemUTC());
    }

    private static NewEvent eventOfPayloadBytes(int bytes) {
        String payload = "{\"blob\":\"" + "x".repeat(bytes - 11) + "\"}";
        return new NewEvent(UUID.randomUUID(), "Blob", 1, Instant.EPOCH, payload, EventMetadata.forCommand("c-1"));
    }

    @Test
    void a_payload_over_64_kib_is_refused_before_anything_is_written() {
        StreamId stream = StreamId.of("blob", "b-" + UUID.randomUUID());

        assertThatThrownBy(() -> store.append(stream, 0, List.of(eventOfPayloadBytes(64 * 1024 + 1)), null))
                .isInstanceOfSatisfying(AppendTooLargeException.class, tooLarge -> {
                    assertThat(tooLarge.size()).isEqualTo(64 * 1024 + 1);
                    assertThat(tooLarge.limit()).isEqualTo(64 * 1024);
                });
        assertThat(store.load(stream)).isEmpty();
    }

    @Test
    void a_payload_of_exactly_64_kib_is_stored() {
        StreamId stream = StreamId.of("blob", "b-" + UUID.randomUUID());

        store.append(stream, 0, List.of(eventOfPayloadBytes(64 * 1024)), null);

        assertThat(store.load(stream)).singleElement().satisfies(event -> assertThat(event.payload()).hasSize(64 * 1024));
    }

    @Test
    void a_commit_too_large_for_one_item_is_refused_before_anything_is_written() {
        StreamId stream = StreamId.of("blob", "b-" + UUID.randomUUID());
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(eventOfPayloadBytes(60 * 1024));
        }

        assertThatThrownBy(() -> store.append(stream, 0, events, null))
                .isInstanceOf(AppendTooLargeException.class)
                .hasMessageContaining("a commit of 6 events");
        assertThat(store.load(stream)).isEmpty();
    }

    @Test
    void a_commit_just_under_the_item_limit_is_stored_whole() {
        StreamId stream = StreamId.of("blob", "b-" + UUID.randomUUID());
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(eventOfPayloadBytes(64 * 1024));
        }

        store.append(stream, 0, events, null);

        assertThat(store.load(stream)).hasSize(5);
    }
}
