package dev.factline.functions.store;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.EventStoreContract;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.MotoGaps;
import dev.factline.functions.view.ReadTable;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kernel's contract, unchanged, against the DynamoDB store on a real local server (dynalite; moto
 * in the build's second run, where a test that meets a known moto gap is skipped with it).
 */
@ExtendWith(MotoGaps.class)
class DynamoDbEventStoreIT extends EventStoreContract {

    private static EventStore store;

    @BeforeAll
    static void createTable() {
        EventTable table = new EventTable("events-" + UUID.randomUUID());
        LocalDynamo dynamo = LocalDynamo.shared();
        ReadTable views = new ReadTable("views-" + UUID.randomUUID());
        dynamo.createTable(table);
        dynamo.createTable(views.createTableRequest());
        store = new DynamoDbEventStore(dynamo.client(), table, views, StoreLimits.defaults(), Clock.systemUTC());
    }

    @Override
    protected EventStore store() {
        return store;
    }
}
