package dev.factline.functions.rebuild;

import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.functions.projector.Projector;
import dev.factline.functions.rebuild.RebuildLedger.Checkpoint;
import dev.factline.functions.rebuild.RebuildLedger.Run;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.view.ReadTable;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A rebuild run in this process: every segment of the event table's Scan on a thread of its own
 * (at most {@value #MAX_THREADS}), under one lease that a scheduler renews, each segment resumed
 * from its checkpoint. It writes only the target's rows: nothing reaches the saga, the publisher
 * or Redis.
 */
public final class Rebuild {

    static final int MAX_THREADS = 16;
    /** A segment's pause after a page the tables refused (throttled, busy), before it tries the page again. */
    static final RetryBackoff THROTTLED = new RetryBackoff.FullJitter(Duration.ofMillis(100), Duration.ofSeconds(5));

    /**
     * @param segments Scan segments (DynamoDB allows 1..1,000,000); a run resumes only with the number it started with
     * @param pageSize items a Scan page reads at most
     * @param maxReadUnitsPerSecond the ceiling on the event table's read units, 0 for none
     * @param lease how long the run is held without a renewal; a process killed holds it that long
     */
    public record Settings(int segments, int pageSize, double maxReadUnitsPerSecond, Duration lease) {
        public Settings {
            if (segments < 1 || segments > 1_000_000) {
                throw new IllegalArgumentException("--segments is 1..1000000 (DynamoDB's TotalSegments), not " + segments);
            }
            if (pageSize < 1 || pageSize > 10_000) {
                throw new IllegalArgumentException("--page-size is 1..10000 items, not " + pageSize);
            }
            if (maxReadUnitsPerSecond < 0 || Double.isNaN(maxReadUnitsPerSecond)) {
                throw new IllegalArgumentException("--max-read-units-per-second is 0 (no ceiling) or more, not " + maxReadUnitsPerSecond);
            }
            if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("--lease is at least 1 s, not " + lease);
            }
        }
    }

    /** How a run ended. {@code alreadyComplete}: an earlier run had finished, nothing was done. */
    public record Summary(String space, int segments, boolean complete, boolean alreadyComplete, RebuildProgress.Figures figures,
            List<RecordProblem> problems, Duration took) {
    }

    private final DynamoDbClient dynamo;
    private final EventTable eventTable;
    private final ReadTable readTable;
    private final InstantSource clock;
    private final String owner;
    private final ClaimChecks claims;

    /** A rebuild of an event table without claim-checked payloads (one met makes its commit unreadable). */
    public Rebuild(DynamoDbClient dynamo, EventTable eventTable, ReadTable readTable, InstantSource clock, String owner) {
        this(dynamo, eventTable, readTable, clock, owner, ClaimChecks.none());
    }

    /** @param claims how claim-checked payloads are fetched */
    public Rebuild(DynamoDbClient dynamo, EventTable eventTable, ReadTable readTable, InstantSource clock, String owner, ClaimChecks claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.eventTable = Objects.requireNonNull(eventTable, "eventTable");
        this.readTable = Objects.requireNonNull(readTable, "readTable");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** About how many items the event table holds: the denominator of a progress line. */
    public long approximateItems() {
        return new EventTableScan(dynamo, eventTable, claims).approximateItems();
    }

    /**
     * Rebuilds {@code target}, or resumes its rebuild, until every segment is done.
     *
     * @throws RebuildLedger.RebuildRefusedException when another process holds the run, or it has other segments
     * @throws EventTableScan.EventTableUnavailableException when the event table is missing or keeps failing
     * @throws dev.factline.functions.view.ReadTableUnavailableException when the read table keeps failing
     */
    public Summary run(RebuildTarget target, Settings settings, RebuildProgress progress) throws InterruptedException {
        Instant started = clock.instant();
        String space = target.space();
        EventTableScan scan = new EventTableScan(dynamo, eventTable, claims);
        scan.approximateItems();
        RebuildLedger ledger = new RebuildLedger(dynamo, readTable);
        Run run = ledger.acquire(space, settings.segments(), owner, started, settings.lease());
        if (run.complete()) {
            return new Summary(space, run.segments(), true, true, progress.figures(), List.of(), Duration.ZERO);
        }
        List<Checkpoint> checkpoints = ledger.checkpoints(space, settings.segments());
        checkpoints.forEach(progress::resumed);
        List<RecordProblem> problems = Collections.synchronizedList(new ArrayList<>());
        Projector projector = Projector.forRebuild(target.models(), dynamo, readTable, eventTable, clock, claims);
        ReadRateLimit limit = new ReadRateLimit(settings.maxReadUnitsPerSecond(), clock, Thread::sleep);
        AtomicBoolean held = new AtomicBoolean(true);
        ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();
        long renewEvery = Math.max(1, settings.lease().toMillis() / 3);
        renewals.scheduleWithFixedDelay(() -> {
            if (held.get() && !ledger.renew(space, owner, clock.instant().plus(settings.lease()))) {
                held.set(false);
            }
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(settings.segments(), MAX_THREADS));
        try {
            List<Future<Checkpoint>> running = new ArrayList<>();
            for (Checkpoint checkpoint : checkpoints) {
                SegmentWorker worker = new SegmentWorker(space, settings.segments(), scan, projector, ledger, limit, settings.pageSize(),
                        THROTTLED, progress, problems::add);
                running.add(workers.submit(() -> worker.run(checkpoint, held::get)));
            }
            boolean allDone = true;
            for (Future<Checkpoint> segment : running) {
                allDone &= segment.get().done();
            }
            boolean complete = allDone && held.get();
            if (complete) {
                ledger.complete(space, owner, clock.instant());
            }
            return new Summary(space, settings.segments(), complete, false, progress.figures(), List.copyOf(problems),
                    Duration.between(started, clock.instant()));
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(failed.getCause());
        } finally {
            workers.shutdownNow();
            renewals.shutdownNow();
        }
    }
}
