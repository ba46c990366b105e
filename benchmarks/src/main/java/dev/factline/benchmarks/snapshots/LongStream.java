package dev.factline.benchmarks.snapshots;

import dev.factline.account.AccountEvent;
import dev.factline.account.AccountOpened;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.Commit;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Snapshot;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.StoreLimits;
import dev.factline.money.Money;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Writes an account stream of any length fast: its events appended in commits of many (one item
 * each, as the store writes every commit), but for its newest {@link #TAIL}, one per commit as
 * commands write them, so a load's first page holds the items it would in production. When a
 * snapshot policy is given, snapshots are saved as the command handler saves them: after each
 * commit that crosses the policy's interval, of the state folded up to that commit, through the
 * store's snapshot API.
 */
final class LongStream {

    /**
     * Events per commit: the store refuses a commit over 350 KiB, reckoning 512 bytes of envelope
     * per event besides its payload (a deposit's is about 60), so about 620 fit; 500 leave room.
     */
    static final int EVENTS_PER_COMMIT = 500;

    /** A load's page of items (StoreLimits' readPageItems) reaches this far down from the head. */
    static final int TAIL = StoreLimits.defaults().readPageItems();

    private LongStream() {
    }

    /**
     * A new account stream of {@code length} events: an opening, then deposits, with ids from
     * {@code ids} (for the account, the events and the command in their metadata) and times from
     * {@code clock}.
     */
    static StreamId write(EventStore store, int length, SnapshotPolicy snapshots, IdGenerator ids, InstantSource clock) {
        StreamId stream = Accounts.TYPE.streamId("a-" + ids.next());
        EventMetadata metadata = EventMetadata.forCommand("bulk-" + ids.next());
        AccountState state = Accounts.TYPE.decider().initialState();
        long version = 0;
        while (version < length) {
            long bulk = length - TAIL - version;
            int count = bulk > 0 ? (int) Math.min(EVENTS_PER_COMMIT, bulk) : 1;
            List<AccountEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                events.add(version == 0 && i == 0
                        ? new AccountOpened("owner-1", Currency.getInstance("EUR"))
                        : new MoneyDeposited(Money.of(100, "EUR"), null));
            }
            AppendResult appended = store.append(stream, version, Accounts.TYPE.events().toNewEvents(events, ids, clock.instant(), metadata), null);
            if (!(appended instanceof AppendResult.Appended written)) {
                throw new IllegalStateException("a fresh stream's commit was answered as a repeat: " + appended);
            }
            Commit commit = written.commit();
            state = Accounts.TYPE.decider().evolveAll(state, events);
            version = commit.streamVersion();
            if (snapshots.isDue(commit)) {
                store.saveSnapshot(new Snapshot(stream, version, Accounts.TYPE.state().schemaVersion(), Accounts.TYPE.state().encode(state)));
            }
        }
        return stream;
    }
}
