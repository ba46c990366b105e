package dev.factline.functions.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.EventStoreUnavailableException;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalDynamo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DynamoDbEventStoreFailuresIT {

    private final DynamoDbEventStore storeWithoutTable = new DynamoDbEventStore(
            LocalDynamo.shared().client(), new EventTable("no-such-table"), StoreLimits.defaults(), Clock.systemUTC());
    private final StreamId stream = StreamId.of("account", "a-" + UUID.randomUUID());

    @Test
    void a_failure_of_dynamodb_itself_leaves_the_adapter_as_the_kernels_exception_naming_the_table() {
        assertThatThrownBy(() -> storeWithoutTable.load(stream))
                .isInstanceOf(EventStoreUnavailableException.class)
                .hasMessageStartingWith("could not load " + stream + " in DynamoDB table no-such-table");
        assertThatThrownBy(() -> storeWithoutTable.append(stream, 0, List.of(
                new NewEvent(UUID.randomUUID(), "AccountOpened", 1, Instant.EPOCH, "{}", EventMetadata.forCommand("c-1"))), null))
                .isInstanceOf(EventStoreUnavailableException.class)
                .hasMessageContaining("could not append to " + stream);
    }
}
