package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ItemsTest {

    private static final StreamId STREAM = StreamId.of("account", "a-1");

    @Test
    void a_commit_item_gives_back_its_events_at_consecutive_versions() {
        List<NewEvent> events = List.of(
                new NewEvent(UUID.randomUUID(), "MoneyDeposited", 3, Instant.parse("2026-01-01T00:00:00.123456789Z"),
                        "{\"amount\":{\"minorUnits\":5,\"currency\":\"EUR\"},\"reference\":null}", new EventMetadata("c-1", "k-1", "e-9")),
                new NewEvent(UUID.randomUUID(), "MoneyWithdrawn", 1, Instant.parse("2026-01-01T00:00:01Z"),
                        "{\"amount\":{\"minorUnits\":2,\"currency\":\"EUR\"}}", EventMetadata.forCommand("c-1")));

        Map<String, AttributeValue> item = Items.commit(STREAM, 7, events, new IdempotencyKey("key-0001"), Map.of());

        assertThat(Items.isCommit(item)).isTrue();
        assertThat(Items.firstVersion(item)).isEqualTo(8);
        assertThat(Items.lastVersion(item)).isEqualTo(9);
        assertThat(Items.idempotencyKey(item)).isEqualTo("key-0001");
        assertThat(Items.firstEventId(item)).isEqualTo(events.get(0).eventId());
        assertThat(Items.events(item, ClaimChecks.none())).containsExactly(events.get(0).recordedAt(STREAM, 8), events.get(1).recordedAt(STREAM, 9));
    }

    @Test
    void a_snapshot_sorts_between_its_version_and_the_next() {
        Snapshot snapshot = new Snapshot(STREAM, 100, 2, "{\"balance\":1}");

        Map<String, AttributeValue> item = Items.snapshot(snapshot);

        assertThat(item.get(EventTable.SORT_KEY).n()).isEqualTo("100.5");
        assertThat(Items.isSnapshot(item)).isTrue();
        assertThat(Items.snapshot(item)).isEqualTo(snapshot);
    }
}
