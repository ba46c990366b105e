package dev.factline.functions.store;

import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.EventStoreContract;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.ReadTable;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract again with reads of two items a page, so every read path (load, loadAsOf,
 * loadTail past snapshots, the head after a conflict) crosses page boundaries.
 */
class DynamoDbEventStoreSmallPagesIT extends EventStoreContract {

    private static EventStore store;

    @BeforeAll
    static void createTable() {
        EventTable table = new EventTable("small-pages-" + UUID.randomUUID());
        ReadTable views = new ReadTable("small-pages-views-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(table);
        LocalDynamo.shared().createTable(views.createTableRequest());
        StoreLimits defaults = StoreLimits.defaults();
        StoreLimits twoItemPages = new StoreLimits(defaults.maxPayloadBytes(), defaults.maxCommitBytes(), defaults.idempotencyRetention(), 2);
        store = new DynamoDbEventStore(LocalDynamo.shared().client(), table, views, twoItemPages, Clock.systemUTC());
    }

    @Override
    protected EventStore store() {
        return store;
    }
}
