package dev.factline.functions.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.account.MoneyWithdrawn;
import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.projector.Projector;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.query.QuerySettings;
import dev.factline.functions.rebuild.EventTableScan.EventTableUnavailableException;
import dev.factline.functions.rebuild.RebuildLedger.Checkpoint;
import dev.factline.functions.rebuild.RebuildLedger.RebuildRefusedException;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.EventHistory;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadModelPointers;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Rebuilds on dynalite: a history written and projected live, a new version of a read model
 * rebuilt from the whole event table beside the served one, compared row for row, cut over and
 * rolled back; and what a rebuild refuses.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RebuildIT {

    /** A deliberate bug: a withdrawal is added to the balance. */
    private static final StreamView<AccountEvent, AccountView> BUGGY = StreamView.of("account-view", 1, Accounts.STREAM_TYPE, Accounts.codec(),
            new Projection<>() {
                @Override
                public AccountView apply(@Nullable AccountView current, StreamId streamId, long version, Instant occurredAt, AccountEvent event) {
                    AccountEvent misread = event instanceof MoneyWithdrawn withdrawn ? new MoneyDeposited(withdrawn.amount(), null) : event;
                    return AccountView.PROJECTION.apply(current, streamId, version, occurredAt, misread);
                }

                @Override
                public long versionOf(AccountView view) {
                    return view.version();
                }
            }, AccountView.class);
    /** The fix, as the next version. */
    private static final StreamView<AccountEvent, AccountView> FIXED =
            StreamView.of("account-view", 2, Accounts.STREAM_TYPE, Accounts.codec(), AccountView.PROJECTION, AccountView.class);
    /** The same fold as the live version, at a new version: a rebuild of it must equal the live one. */
    private static final StreamView<AccountEvent, AccountView> SAME_FOLD =
            StreamView.of("account-view", 2, Accounts.STREAM_TYPE, Accounts.codec(), AccountView.PROJECTION, AccountView.class);
    private static final ReadModels LIVE_ONLY = ReadModels.of(AccountView.MODEL);
    private static final ReadModels LIVE_AND_SAME_FOLD = ReadModels.of(AccountView.MODEL, SAME_FOLD);
    private static final Rebuild.Settings SETTINGS = new Rebuild.Settings(4, 20, 0, Duration.ofSeconds(30));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalDynamo dynamo = LocalDynamo.shared();
    private final EventHistory history = EventHistory.create(dynamo, "rebuild");

    @AfterEach
    void drop() {
        history.close();
    }

    private Rebuild rebuild(String owner) {
        return new Rebuild(dynamo.client(), history.eventTable(), history.readTable(), Clock.systemUTC(), owner);
    }

    private ReadModelDiff.Report diff(StreamView<?, ?> left, StreamView<?, ?> right, ReadModels hosted) {
        return new ReadModelDiff(dynamo.client(), history.readTable()).compare(left, right, hosted);
    }

    @Nested
    class A_version_rebuilt_beside_the_served_one {

        @Test
        void with_the_same_fold_equals_the_live_version_row_for_row() throws Exception {
            history.writeAccounts("a-", 60, 12);
            history.project(LIVE_ONLY);

            Rebuild.Summary summary = rebuild("one").run(RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2), SETTINGS, new RebuildProgress());

            assertThat(summary.complete()).isTrue();
            assertThat(summary.figures().events()).isEqualTo(60 * 12);
            assertThat(summary.figures().segmentsDone()).isEqualTo(4);
            assertThat(summary.problems()).isEmpty();
            ReadModelDiff.Report report = diff(AccountView.MODEL, SAME_FOLD, LIVE_AND_SAME_FOLD);
            assertThat(report.identical()).as("%s", report).isTrue();
            assertThat(report.same()).isEqualTo(60);
        }

        @Test
        void over_streams_with_snapshots_resumes_after_a_page_that_ends_on_one() throws Exception {
            List<StreamId> streams = history.writeAccounts("s-", 6, 8);
            streams.forEach(stream -> history.snapshot(stream, 4));
            history.project(LIVE_ONLY);

            // A page of one item ends on every item, snapshots (sort key 4.5) included.
            Rebuild.Summary summary = rebuild("one").run(RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2),
                    new Rebuild.Settings(2, 1, 0, Duration.ofSeconds(30)), new RebuildProgress());

            assertThat(summary.complete()).isTrue();
            assertThat(summary.figures().events()).isEqualTo(6 * 8);
            assertThat(summary.problems()).isEmpty();
            assertThat(diff(AccountView.MODEL, SAME_FOLD, LIVE_AND_SAME_FOLD).identical()).isTrue();
        }

        @Test
        void killed_after_some_pages_and_resumed_by_another_process_once_its_lease_lapsed_ends_equal_to_the_live_version() throws Exception {
            history.writeAccounts("a-", 60, 12);
            history.project(LIVE_ONLY);
            RebuildTarget target = RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2);
            RebuildLedger ledger = new RebuildLedger(dynamo.client(), history.readTable());
            // A first process takes the run, works two pages of each segment, and dies.
            ledger.acquire(target.space(), 4, "dead", Instant.now(), Duration.ofSeconds(30));
            Projector projector = Projector.forRebuild(target.models(), dynamo.client(), history.readTable(), history.eventTable(), Clock.systemUTC(),
                    ClaimChecks.none());
            for (Checkpoint checkpoint : ledger.checkpoints(target.space(), 4)) {
                AtomicInteger pages = new AtomicInteger();
                new SegmentWorker(target.space(), 4, new EventTableScan(dynamo.client(), history.eventTable(), ClaimChecks.none()), projector, ledger,
                        ReadRateLimit.of(0), 20, RetryBackoff.none(), new RebuildProgress(), problem -> { })
                        .run(checkpoint, () -> pages.getAndIncrement() < 2);
            }
            assertThat(ledger.checkpoints(target.space(), 4)).as("partly done").anySatisfy(checkpoint -> assertThat(checkpoint.done()).isFalse());

            // Its last renewal: the lease holds another second.
            ledger.renew(target.space(), "dead", Instant.now().plusSeconds(1));
            assertThatThrownBy(() -> rebuild("second").run(target, SETTINGS, new RebuildProgress()))
                    .as("refused while the dead one's lease holds").isInstanceOf(RebuildRefusedException.class).hasMessageContaining("is running");
            Thread.sleep(1_100);
            Rebuild.Summary resumed = rebuild("second").run(target, SETTINGS, new RebuildProgress());

            assertThat(resumed.complete()).isTrue();
            assertThat(resumed.figures().events()).as("the checkpoints' events and the rest").isEqualTo(60 * 12);
            ReadModelDiff.Report report = diff(AccountView.MODEL, SAME_FOLD, LIVE_AND_SAME_FOLD);
            assertThat(report.identical()).as("%s", report).isTrue();
        }

        @Test
        void misses_nothing_written_while_it_runs_because_the_live_projector_writes_both_versions() throws Exception {
            List<StreamId> streams = history.writeAccounts("a-", 40, 10);
            history.project(LIVE_ONLY);
            RebuildTarget target = RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2);
            // Slowed to a few read units a second, so that the writes below land while it scans.
            Rebuild.Settings slow = new Rebuild.Settings(2, 10, 4, Duration.ofSeconds(30));
            CompletableFuture<Rebuild.Summary> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return rebuild("slow").run(target, slow, new RebuildProgress());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int round = 0; round < 5; round++) {
                for (int index = 0; index < streams.size(); index += 3) {
                    history.deposit(streams.get(index), 10 + round, 100);
                }
                history.project(LIVE_AND_SAME_FOLD);
            }

            assertThat(running.get().complete()).isTrue();
            ReadModelDiff.Report report = diff(AccountView.MODEL, SAME_FOLD, LIVE_AND_SAME_FOLD);
            assertThat(report.identical()).as("%s", report).isTrue();
            assertThat(report.same()).isEqualTo(40);
        }

        @Test
        void writes_nothing_to_the_event_table_so_no_trigger_sees_it() throws Exception {
            history.writeAccounts("a-", 20, 6);
            history.project(LIVE_ONLY);
            long items = itemsIn(history.eventTable());

            rebuild("one").run(RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2), SETTINGS, new RebuildProgress());

            assertThat(history.project(LIVE_ONLY)).as("records on the event table's stream since").isZero();
            assertThat(itemsIn(history.eventTable())).isEqualTo(items);
        }
    }

    @Nested
    class A_read_model_with_a_bug {

        @Test
        void is_fixed_by_a_rebuilt_version_that_queries_serve_after_the_cutover_and_no_longer_after_a_rollback() throws Exception {
            List<StreamId> streams = history.writeAccounts("a-", 30, 12);
            history.project(ReadModels.of(BUGGY));
            ReadModels deployed = ReadModels.of(BUGGY, FIXED);
            history.deposit(streams.getFirst(), 12, 1);
            history.project(deployed);
            StreamId sample = streams.stream().filter(stream -> fixedBalance(stream) != buggyBalance(stream)).findFirst().orElseThrow();
            QueryFunction query = new QueryFunction(deployed, dynamo.client(),
                    QuerySettings.of(history.readTable(), history.eventTable()).withRepairCheck(Duration.ofMillis(1)), ViewCache.none(),
                    Clock.systemUTC());
            assertThat(balanceServed(query, sample)).as("before the fix is served").isEqualTo(buggyBalance(sample));

            Cutover cutover = new Cutover(deployed, dynamo.client(), history.readTable());
            assertThatThrownBy(() -> cutover.cutover("account-view", 2, 0, Instant.now()))
                    .as("not before its rebuild").isInstanceOf(Cutover.CutoverRefusedException.class).hasMessageContaining("no complete rebuild");
            rebuild("one").run(RebuildTarget.of(deployed, "account-view", 2), SETTINGS, new RebuildProgress());
            ReadModelDiff.Report report = diff(BUGGY, FIXED, deployed);
            cutover.cutover("account-view", 2, 0, Instant.now());
            long afterCutover = balanceServed(query, sample);
            cutover.rollback("account-view", Instant.now());
            long afterRollback = balanceServed(query, sample);

            assertThat(report.behind()).as("caught up").isZero();
            assertThat(report.differ()).as("the accounts with withdrawals").isPositive();
            assertThat(afterCutover).as("the fixed view").isEqualTo(fixedBalance(sample));
            assertThat(afterRollback).as("the buggy one again").isEqualTo(buggyBalance(sample));
        }

        @Test
        void cannot_be_cut_over_to_a_version_that_fell_behind_and_nothing_moves() throws Exception {
            List<StreamId> streams = history.writeAccounts("a-", 10, 6);
            ReadModels deployed = ReadModels.of(BUGGY, FIXED);
            history.project(deployed);
            rebuild("one").run(RebuildTarget.of(deployed, "account-view", 2), SETTINGS, new RebuildProgress());
            // A projector that hosts only the old version (an old deploy still running) moves it on alone.
            history.deposit(streams.get(3), 6, 10);
            history.deposit(streams.get(3), 7, 10);
            history.project(ReadModels.of(BUGGY));

            Cutover cutover = new Cutover(deployed, dynamo.client(), history.readTable());

            assertThatThrownBy(() -> cutover.cutover("account-view", 2, 1, Instant.now()))
                    .isInstanceOf(Cutover.CutoverRefusedException.class).hasMessageContaining("behind account-view@1 on 1 streams (2 events");
            assertThat(new ReadModelPointers(dynamo.client(), history.readTable()).read("account-view")).isEmpty();
            cutover.cutover("account-view", 2, 2, Instant.now());
            assertThat(cutover.served("account-view")).as("within a lag of 2 events").isEqualTo(2);
        }

        private long buggyBalance(StreamId stream) {
            return replay(BUGGY, stream).balance().minorUnits();
        }

        private long fixedBalance(StreamId stream) {
            return replay(FIXED, stream).balance().minorUnits();
        }

        private AccountView replay(StreamView<AccountEvent, AccountView> model, StreamId stream) {
            var events = new DynamoDbEventStore(dynamo.client(), history.eventTable(), StoreLimits.defaults(), Clock.systemUTC()).load(stream);
            return model.projection().replay(null, events, model.codec());
        }

        private long balanceServed(QueryFunction query, StreamId stream) throws Exception {
            Thread.sleep(2);
            APIGatewayV2HTTPResponse response = query.handleRequest(HttpApiEvents.request("GET", "/accounts/" + stream.id()).event(), null);
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            return JSON.readTree(response.getBody()).get("balance").get("minorUnits").asLong();
        }
    }

    @Nested
    class Refused_with_a_reason_and_nothing_written {

        @Test
        void a_read_model_or_version_that_is_not_hosted() {
            assertThatThrownBy(() -> RebuildTarget.of(LIVE_ONLY, "account-veiw", 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("no read model account-veiw@1 is hosted; hosted: account-view@1");
            assertThatThrownBy(() -> RebuildTarget.of(LIVE_ONLY, "account-view", 3)).hasMessageStartingWith("no read model account-view@3 is hosted");
        }

        @Test
        void a_tally_alone_names_its_source() {
            assertThatThrownBy(() -> RebuildTarget.of(HostedReadModels.STANDARD, "order-dashboard", 1))
                    .hasMessage("order-dashboard@1 is a tally of order-view@1 and part of its version: rebuild order-view 1");
        }

        @Test
        void an_event_table_that_does_not_exist() {
            Rebuild missing = new Rebuild(dynamo.client(), new EventTable("no-such-table"), history.readTable(), Clock.systemUTC(), "one");

            assertThatThrownBy(() -> missing.run(RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2), SETTINGS, new RebuildProgress()))
                    .isInstanceOfSatisfying(EventTableUnavailableException.class, unavailable -> assertThat(unavailable.missing()).isTrue())
                    .hasMessage("there is no table no-such-table");
            assertThat(new RebuildLedger(dynamo.client(), history.readTable()).run("account-view@2")).isEmpty();
        }

        @Test
        void a_resume_with_another_number_of_segments() throws Exception {
            history.writeAccounts("a-", 4, 3);
            RebuildLedger ledger = new RebuildLedger(dynamo.client(), history.readTable());
            ledger.acquire("account-view@2", 4, "dead", Instant.now(), Duration.ofSeconds(1));
            Thread.sleep(1_100);

            assertThatThrownBy(() -> rebuild("one").run(RebuildTarget.of(LIVE_AND_SAME_FOLD, "account-view", 2),
                    new Rebuild.Settings(8, 20, 0, Duration.ofSeconds(30)), new RebuildProgress()))
                    .isInstanceOf(RebuildRefusedException.class).hasMessage("the rebuild of account-view@2 was started with 4 segments; resume it with --segments 4");
            assertThat(ledger.run("account-view@2").orElseThrow().owner()).isEqualTo("dead");
        }

        @Test
        void settings_out_of_range() {
            assertThatThrownBy(() -> new Rebuild.Settings(0, 20, 0, Duration.ofSeconds(30))).hasMessageContaining("--segments is 1..1000000");
            assertThatThrownBy(() -> new Rebuild.Settings(4, 0, 0, Duration.ofSeconds(30))).hasMessageContaining("--page-size");
            assertThatThrownBy(() -> new Rebuild.Settings(4, 20, -1, Duration.ofSeconds(30))).hasMessageContaining("--max-read-units-per-second");
            assertThatThrownBy(() -> new Rebuild.Settings(4, 20, 0, Duration.ofMillis(10))).hasMessageContaining("--lease");
        }
    }

    private long itemsIn(EventTable table) {
        long items = 0;
        for (var page : dynamo.client().scanPaginator(scan -> scan.tableName(table.name()))) {
            items += page.count();
        }
        return items;
    }
}
