package dev.factline.benchmarks.projector;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.money.Money;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Account streams written through the kernel's command handler into a fresh event table, one
 * event per command as a deposit makes, and their records read back from the table's stream as
 * Lambda delivers them, kept per stream in version order so any mix of streams can be batched.
 */
final class RecordPool {

    private static final int WRITERS = 4;

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
        dynamo.createTable(table.createTableRequest());
        DynamoDbEventStore store = new DynamoDbEventStore(dynamo.client(), table, StoreLimits.defaults(), Clock.systemUTC());
        List<StreamId> ids = IntStream.range(0, streams).mapToObj(i -> Accounts.TYPE.streamId("a-" + UUID.randomUUID())).toList();
        // A few writers at once: dynalite answers one at a time, but the client's side of each call overlaps.
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<?>> written = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                StreamId id = ids.get(i);
                int events = depth.applyAsInt(i);
                written.add(writers.submit(() -> writeStream(store, id, events)));
            }
            for (Future<?> stream : written) {
                stream.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the streams", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the streams", e.getCause());
        }
        Map<String, List<DynamodbStreamRecord>> records = new LinkedHashMap<>();
        ids.forEach(id -> records.put(id.toString(), new ArrayList<>()));
        try (StreamTap tap = StreamTap.atStart(dynamo, table.name())) {
            tap.drainAll().getRecords().forEach(record ->
                    records.get(record.getDynamodb().getKeys().get(EventTable.PARTITION_KEY).getS()).add(record));
        }
        return new RecordPool(table, List.copyOf(records.values()));
    }

    /** An opening and deposits, by a container of its own that remembers the stream: one PutItem per event. */
    private static void writeStream(DynamoDbEventStore store, StreamId id, int events) {
        // No snapshots: the projector's trigger delivers commits only (Topology.COMMITS_ONLY), so the records are commits alone.
        CommandHandler<AccountCommand, AccountEvent, AccountState> handler = new CommandHandler<>(Accounts.TYPE, store,
                Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults().withSnapshots(SnapshotPolicy.never()));
        handler.handle(CommandRequest.of(id, new OpenAccount("owner-1", Currency.getInstance("EUR")), metadata()));
        for (int event = 1; event < events; event++) {
            handler.handle(CommandRequest.of(id, new DepositMoney(Money.of(100, "EUR"), null), metadata()));
        }
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

    private static EventMetadata metadata() {
        return EventMetadata.forCommand("cmd-" + UUID.randomUUID());
    }
}
