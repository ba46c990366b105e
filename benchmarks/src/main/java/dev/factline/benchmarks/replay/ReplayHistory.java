package dev.factline.benchmarks.replay;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountOpened;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.benchmarks.snapshots.StreamWriters;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import dev.factline.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * An event table of account streams, every stream {@code commitsEach} commits of
 * {@value #EVENTS_PER_COMMIT} events (an opening, then deposits), written round-robin: the first
 * commit of every stream, then the second of each, as many accounts active at once would write
 * them. Its stream records are kept in the trigger's batches, so the live projector is fed them
 * as Lambda would deliver them, as often as needed.
 */
record ReplayHistory(EventTable eventTable, int streams, long events, List<DynamodbEvent> batches) {

    static final int EVENTS_PER_COMMIT = 5;
    private static final Currency EUR = Currency.getInstance("EUR");

    static ReplayHistory write(LocalDynamo dynamo, int streams, int commitsEach, int batchSize) {
        EventTable table = new EventTable("replay-" + UUID.randomUUID());
        dynamo.createTable(table);
        DynamoDbEventStore store = new DynamoDbEventStore(dynamo.client(), table, StoreLimits.defaults(), Clock.systemUTC());
        List<StreamId> ids = IntStream.range(0, streams).mapToObj(index -> Accounts.TYPE.streamId("a-replay-" + index)).toList();
        for (int commit = 0; commit < commitsEach; commit++) {
            long head = (long) commit * EVENTS_PER_COMMIT;
            StreamWriters.all(ids.stream().map(id -> (Callable<StreamId>) () -> {
                store.append(id, head, Accounts.codec().toNewEvents(commitAt(id, head), IdGenerator.random(), Instant.now(),
                        EventMetadata.forCommand("cmd-" + UUID.randomUUID())), null);
                return id;
            }).toList());
        }
        List<DynamodbEvent> batches;
        try (StreamTap tap = StreamTap.atStart(dynamo, table.name())) {
            batches = tap.drain(batchSize);
        }
        return new ReplayHistory(table, streams, (long) streams * commitsEach * EVENTS_PER_COMMIT, List.copyOf(batches));
    }

    /** The commit that follows {@code head}: the opening and four deposits first, five deposits after. */
    private static List<AccountEvent> commitAt(StreamId id, long head) {
        List<AccountEvent> events = new ArrayList<>(EVENTS_PER_COMMIT);
        if (head == 0) {
            events.add(new AccountOpened("owner-" + id.id(), EUR));
        }
        while (events.size() < EVENTS_PER_COMMIT) {
            events.add(new MoneyDeposited(Money.of(100 + head + events.size(), "EUR"), null));
        }
        return events;
    }

    int records() {
        return batches.stream().mapToInt(batch -> batch.getRecords().size()).sum();
    }
}
