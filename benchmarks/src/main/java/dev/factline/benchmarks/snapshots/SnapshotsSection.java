package dev.factline.benchmarks.snapshots;

import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Mode;
import dev.factline.benchmarks.Section;
import dev.factline.benchmarks.Series;
import dev.factline.benchmarks.calls.CountedStore;
import dev.factline.benchmarks.calls.CountedStore.Calls;
import dev.factline.eventsourcing.AggregateRepository;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.LoadedAggregate;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * How long a cold load of an account takes as its stream grows, with and without snapshots: the
 * kernel's repository (the command handler's load path) on the DynamoDB event store, on dynalite.
 */
public final class SnapshotsSection implements Section {

    /** The command function's default, which the topology sets as SNAPSHOT_INTERVAL too. */
    private static final SnapshotPolicy POLICY = SnapshotPolicy.every(SnapshotPolicy.DEFAULT_EVERY);
    private static final int RATIO_BASE = 100;
    private static final int WARM_UP_LOADS = 3;
    private static final int WARM_UP_LENGTH = 1_000;

    /** The two streams of one length: one snapshotted as the command handler does, one never. */
    private record Pair(int length, StreamId snapshotted, StreamId plain) {
    }

    @Override
    public String id() {
        return "snapshots";
    }

    @Override
    public String title() {
        return "Snapshot effect";
    }

    @Override
    public void run(Bench bench) {
        List<Integer> lengths = bench.mode().pick(List.of(10, 100, 1_000, 10_000), List.of(10, 100, 1_000, 10_000, 100_000));
        int loads = bench.mode().pick(5, 9);
        List<Series.Point> with = new ArrayList<>();
        List<Series.Point> without = new ArrayList<>();
        try (LocalDynamo dynamo = LocalDynamo.start(); CountedStore counted = new CountedStore(dynamo, "snapshots")) {
            EventStore store = counted.store();
            long start = System.nanoTime();
            List<Pair> pairs = written(store, lengths);
            bench.progress("wrote the streams in %d s", Duration.ofNanos(System.nanoTime() - start).toSeconds());
            // Unmeasured: the loader's code runs cold the first times; short streams warm it cheaply.
            for (int i = 0; i < WARM_UP_LOADS; i++) {
                pairs.stream().filter(pair -> pair.length() <= WARM_UP_LENGTH).forEach(pair -> {
                    load(store, pair.snapshotted(), pair.length());
                    load(store, pair.plain(), pair.length());
                });
            }
            for (Pair pair : pairs) {
                Loads snapshotted = new Loads(counted, pair.snapshotted(), pair.length());
                Loads plain = new Loads(counted, pair.plain(), pair.length());
                // The order swaps every pair (AB BA AB ...), so what the first load of a pair pays or gains cancels out.
                for (int i = 0; i < loads; i++) {
                    if (i % 2 == 0) {
                        snapshotted.load();
                        plain.load();
                    } else {
                        plain.load();
                        snapshotted.load();
                    }
                }
                with.add(new Series.Point(pair.length(), snapshotted.report(bench, "with snapshots")));
                without.add(new Series.Point(pair.length(), plain.report(bench, "without snapshots")));
            }
            ratio(bench, store, pairs, loads);
        }
        bench.chart(new Series("snapshot-load-time", "Aggregate load time vs stream length", "events in the stream", "load time (ms)",
                true, List.of(new Series.Line("with snapshots", with), new Series.Line("without snapshots", without))));
        bench.note("Streams are written fast: " + LongStream.EVENTS_PER_COMMIT + " events per commit (one item each), but for their "
                + "newest " + LongStream.TAIL + " events, one per commit as commands write them, since a load's first page reaches "
                + "that far. They are snapshotted as the command handler does it, every " + POLICY.interval() + " events (the command "
                + "function's SNAPSHOT_INTERVAL): after each commit that crosses a multiple, of the state at that commit. Each length "
                + "but 10 (which has no snapshot) is a multiple of the interval, so its newest snapshot is at its head and a load "
                + "replays no event after it; one written one event per command can be up to " + (POLICY.interval() - 1)
                + " past it. The bulk commits make an unsnapshotted load read fewer, larger items than one-event commits would: a "
                + "floor for its cost. The event table has no stream here: no load needs it.");
        if (bench.mode() == Mode.QUICK) {
            bench.note("Quick mode: streams up to 10,000 events (full: 100,000), " + loads + " loads per figure (full: 9).");
        }
    }

    /**
     * The longest stream's load time over the {@value #RATIO_BASE}-event stream's, both with
     * snapshots: loads alternated, the order swapped every pair, the median of the per-pair ratios.
     * Named the same in both modes; the method says how long the longest stream was.
     */
    private static void ratio(Bench bench, EventStore store, List<Pair> pairs, int loads) {
        Pair base = pairs.stream().filter(pair -> pair.length() == RATIO_BASE).findFirst().orElseThrow();
        Pair longest = pairs.getLast();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < loads; i++) {
            double longestMillis;
            double baseMillis;
            if (i % 2 == 0) {
                longestMillis = loadMillis(store, longest.snapshotted(), longest.length());
                baseMillis = loadMillis(store, base.snapshotted(), base.length());
            } else {
                baseMillis = loadMillis(store, base.snapshotted(), base.length());
                longestMillis = loadMillis(store, longest.snapshotted(), longest.length());
            }
            ratios.add(longestMillis / baseMillis);
        }
        bench.figure("load time ratio with snapshots, longest stream / " + RATIO_BASE + " events", "x", ratios,
                "cold loads of the " + lengthLabel(longest.length()) + "-event and " + lengthLabel(base.length()) + "-event snapshotted "
                        + "streams, " + loads + " pairs, the order swapped every pair (AB BA AB ...); the median of the per-pair ratios "
                        + "of their times" + (bench.mode() == Mode.QUICK ? " (quick mode: the longest stream is "
                        + lengthLabel(longest.length()) + " events, 100k in full mode)" : ""),
                Limit.atMost(2, "should stay near 1: a snapshot makes load time independent of stream length"));
    }

    /** Both streams of every length, written a few at once. */
    private static List<Pair> written(EventStore store, List<Integer> lengths) {
        List<Callable<StreamId>> writings = new ArrayList<>();
        for (int length : lengths) {
            writings.add(() -> LongStream.write(store, length, POLICY, IdGenerator.random(), Clock.systemUTC()));
            writings.add(() -> LongStream.write(store, length, SnapshotPolicy.never(), IdGenerator.random(), Clock.systemUTC()));
        }
        List<StreamId> streams = StreamWriters.all(writings);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lengths.size(); i++) {
            pairs.add(new Pair(lengths.get(i), streams.get(2 * i), streams.get(2 * i + 1)));
        }
        return pairs;
    }

    /** The cold loads of one stream: each timed, and the last one's calls and result kept for the method (every load makes the same). */
    private static final class Loads {

        private final CountedStore counted;
        private final StreamId stream;
        private final int length;
        private final List<Double> millis = new ArrayList<>();
        private @Nullable Calls calls;
        private @Nullable LoadedAggregate<AccountState> loaded;

        Loads(CountedStore counted, StreamId stream, int length) {
            this.counted = counted;
            this.stream = stream;
            this.length = length;
        }

        void load() {
            long start = System.nanoTime();
            Calls made = counted.callsOf(() -> loaded = SnapshotsSection.load(counted.store(), stream, length));
            millis.add((System.nanoTime() - start) / 1e6);
            calls = made;
        }

        /** Adds the load time as a figure; returns its median. */
        double report(Bench bench, String variant) {
            Calls made = Objects.requireNonNull(calls, "no load yet");
            LoadedAggregate<AccountState> last = Objects.requireNonNull(loaded, "no load yet");
            String read = last.snapshotVersion() == 0 ? "no snapshot" : "the snapshot at version " + last.snapshotVersion();
            return bench.figure("load time, " + lengthLabel(length) + " events, " + variant, "ms", millis,
                    "median of " + millis.size() + " cold loads (a new AggregateRepository on DynamoDbEventStore each, "
                            + "repository.load timed, the last one's calls counted), alternating with the other stream of the same length, "
                            + "the order swapped every pair (AB BA AB ...); "
                            + "a load reads " + read + " and replays " + last.eventsReplayed() + " events, in " + made.total()
                            + " calls " + made.byOperation() + " bringing " + String.format("%,d", made.responseBytes())
                            + " bytes of responses", null).value();
        }
    }

    private static double loadMillis(EventStore store, StreamId stream, int length) {
        long start = System.nanoTime();
        load(store, stream, length);
        return (System.nanoTime() - start) / 1e6;
    }

    /** A cold load, as a fresh container's command handler makes it: nothing cached. */
    private static LoadedAggregate<AccountState> load(EventStore store, StreamId stream, int length) {
        LoadedAggregate<AccountState> loaded = new AggregateRepository<>(Accounts.TYPE, store).load(stream);
        if (loaded.version() != length) {
            throw new IllegalStateException("loaded " + stream + " at version " + loaded.version() + ", but it holds " + length + " events");
        }
        return loaded;
    }

    private static String lengthLabel(int length) {
        return length >= 1_000 ? length / 1_000 + "k" : Integer.toString(length);
    }
}
