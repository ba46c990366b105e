package dev.factline.benchmarks.projector;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.factline.account.Accounts;
import dev.factline.benchmarks.calls.Container;
import dev.factline.benchmarks.snapshots.StreamWriters;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Account streams written through the kernel's command handler into a fresh event table, one
 * event per command as a deposit makes, and their records read back from the table's stream as
 * Lambda delivers them, kept per stream in version order so any mix of streams can be batched.
 */
final class RecordPool {

    private final EventTable eventTable;
    private final List<List<DynamodbStreamRecord>> byStream;

    private RecordPool(EventTable eventTable, List<List<DynamodbStreamRecord>> byStream) {
        this.eventTable = eventTable;
        this.byStream = byStream;
    }

    /**
     * Writes {@code streams} account streams, stream {@code i} holding {@code depth.applyAsInt(i)}
     * events (an opening, then deposits), and reads every record back.
     */
    static RecordPool write(LocalDynamo dynamo, int streams, IntUnaryOperator depth) {
        EventTable table = new EventTable("pool-" + UUID.randomUUID());
        dynamo.createTable(table);
        DynamoDbEventStore store = new DynamoDbEventStore(dynamo.client(), table, StoreLimits.defaults(), Clock.systemUTC());
        List<StreamId> ids = StreamWriters.all(IntStream.range(0, streams)
                .mapToObj(stream -> (Callable<StreamId>) () -> writeStream(store, depth.applyAsInt(stream)))
                .toList());
        Map<String, List<DynamodbStreamRecord>> records = new LinkedHashMap<>();
        ids.forEach(id -> records.put(id.toString(), new ArrayList<>()));
        try (StreamTap tap = StreamTap.atStart(dynamo, table.name())) {
            tap.drainAll().getRecords().forEach(record ->
                    records.get(record.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS()).add(record));
        }
        return new RecordPool(table, List.copyOf(records.values()));
    }

    /** A new account stream of an opening and deposits, by a container of its own that remembers it: one PutItem per event. */
    private static StreamId writeStream(DynamoDbEventStore store, int events) {
        // No snapshots: the projector's trigger delivers commits only (Topology.COMMITS_ONLY), so the records are commits alone.
        Container container = Container.KERNEL.fresh(store, WritePolicy.defaults().withSnapshots(SnapshotPolicy.never()));
        String account = "a-" + UUID.randomUUID();
        container.open(account);
        for (int event = 1; event < events; event++) {
            container.deposit(account, null);
        }
        return Accounts.TYPE.streamId(account);
    }

    EventTable eventTable() {
        return eventTable;
    }

    /**
     * The first {@code perStream} records of each of the first {@code streams} streams, taken
     * round-robin (one of each stream, then the next of each), so every run of {@code streams}
     * consecutive records spans them all.
     */
    List<DynamodbStreamRecord> interleaved(int streams, int perStream) {
        List<DynamodbStreamRecord> records = new ArrayList<>(streams * perStream);
        for (int round = 0; round < perStream; round++) {
            for (int stream = 0; stream < streams; stream++) {
                records.add(byStream.get(stream).get(round));
            }
        }
        return records;
    }
}
