package dev.factline.functions.testing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountOpened;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.account.MoneyWithdrawn;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.projector.ProjectorMetrics;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import dev.factline.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * An event table with a history of accounts and a read table beside it, on the shared dynalite:
 * histories written fast (several events per commit, straight through the store), and projected
 * as Lambda would deliver them, by a projector hosting whichever read models a test names.
 */
public final class EventHistory implements AutoCloseable {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final int EVENTS_PER_COMMIT = 5;

    private final LocalDynamo dynamo;
    private final EventTable eventTable;
    private final ReadTable readTable;
    private final DynamoDbEventStore store;
    private final StreamTap tap;
    private final Random random = new Random(42);

    private EventHistory(LocalDynamo dynamo, String name) {
        this.dynamo = dynamo;
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.eventTable = new EventTable("events-" + suffix);
        this.readTable = new ReadTable("views-" + suffix);
        dynamo.createTable(eventTable);
        dynamo.createTable(readTable.createTableRequest());
        this.store = new DynamoDbEventStore(dynamo.client(), eventTable, StoreLimits.defaults(), Clock.systemUTC());
        this.tap = StreamTap.atStart(dynamo, eventTable.name());
    }

    public static EventHistory create(LocalDynamo dynamo, String name) {
        return new EventHistory(dynamo, name);
    }

    public EventTable eventTable() {
        return eventTable;
    }

    public ReadTable readTable() {
        return readTable;
    }

    public LocalDynamo dynamo() {
        return dynamo;
    }

    /**
     * Accounts {@code <prefix>0..} each opened, then deposited into and withdrawn from at random
     * (never below zero) up to {@code eventsEach} events, in commits of up to 5 events. Returns the streams.
     */
    public List<StreamId> writeAccounts(String prefix, int accounts, int eventsEach) {
        List<StreamId> streams = new ArrayList<>(accounts);
        for (int index = 0; index < accounts; index++) {
            StreamId stream = Accounts.TYPE.streamId(prefix + index);
            List<AccountEvent> history = new ArrayList<>();
            history.add(new AccountOpened("owner-" + index, EUR));
            long balance = 0;
            while (history.size() < eventsEach) {
                long amount = 1 + random.nextInt(5_000);
                if (balance >= amount && random.nextInt(3) == 0) {
                    history.add(new MoneyWithdrawn(Money.of(amount, "EUR")));
                    balance -= amount;
                } else {
                    history.add(new MoneyDeposited(Money.of(amount, "EUR"), random.nextBoolean() ? "ref-" + amount : null));
                    balance += amount;
                }
            }
            append(stream, 0, history);
            streams.add(stream);
        }
        return streams;
    }

    /** A snapshot of {@code stream} at {@code version} beside its events (sort key {@code version + 0.5}). */
    public void snapshot(StreamId stream, long version) {
        store.saveSnapshot(new Snapshot(stream, version, 1, "{}"));
    }

    /** One more deposit at the end of {@code stream}, whose head is {@code head}; the new head. */
    public long deposit(StreamId stream, long head, long amount) {
        append(stream, head, List.of(new MoneyDeposited(Money.of(amount, "EUR"), null)));
        return head + 1;
    }

    private void append(StreamId stream, long head, List<AccountEvent> events) {
        long version = head;
        for (int from = 0; from < events.size(); from += EVENTS_PER_COMMIT) {
            List<AccountEvent> commit = events.subList(from, Math.min(events.size(), from + EVENTS_PER_COMMIT));
            store.append(stream, version, Accounts.codec().toNewEvents(commit, IdGenerator.random(), Instant.now(),
                    EventMetadata.forCommand("cmd-" + UUID.randomUUID())), null);
            version += commit.size();
        }
    }

    /** Every stream record written since the last delivery, taken off the stream as Lambda would deliver them, undelivered. */
    public DynamodbEvent undelivered() {
        return tap.drainAll();
    }

    /** The ARN of the event table's stream. */
    public String streamArn() {
        return tap.streamArn();
    }

    /** Delivers everything written since the last call, in batches of 100, to a projector hosting {@code models}; the records delivered. */
    public int project(ReadModels models) {
        ProjectorFunction projector = new ProjectorFunction(models, dynamo.client(), readTable, eventTable, ViewCache.none(), Clock.systemUTC(),
                ProjectorMetrics.none());
        int records = 0;
        for (var batch : tap.drain(100)) {
            var failures = projector.handleRequest(batch, null).getBatchItemFailures();
            if (failures != null && !failures.isEmpty()) {
                throw new IllegalStateException("the projector reported " + failures);
            }
            records += batch.getRecords().size();
        }
        return records;
    }

    @Override
    public void close() {
        tap.close();
        dynamo.client().deleteTable(delete -> delete.tableName(eventTable.name()));
        dynamo.client().deleteTable(delete -> delete.tableName(readTable.name()));
    }
}
