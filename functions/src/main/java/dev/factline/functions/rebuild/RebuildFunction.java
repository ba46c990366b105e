package dev.factline.functions.rebuild;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.projector.Projector;
import dev.factline.functions.rebuild.RebuildLedger.Checkpoint;
import dev.factline.functions.rebuild.RebuildLedger.RebuildRefusedException;
import dev.factline.functions.rebuild.RebuildLedger.Run;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A rebuild's steps on AWS, one invocation each, as the state machine asks (see {@link RebuildStep}):
 * {@code open} starts the run in the ledger and answers the segments to work; {@code segment} runs
 * the same {@link SegmentWorker} as the in-process {@link Rebuild} on one segment from its
 * checkpoint, stops a page before the invocation's time runs out and answers whether the segment
 * is done (the state machine invokes it again until it is); {@code finish} marks the run complete.
 *
 * <p>The run's lease is held by the execution: every step renews it for as long as the invocation
 * may run plus {@link #BETWEEN_STEPS}, so an execution that was stopped frees the run that much
 * later, and a process that took the run over meanwhile makes the next step refuse. Bad input and
 * a refused run fail the step before anything is written.
 *
 * <p>Not primed for SnapStart: a step's work is pages of DynamoDB calls over minutes, beside which
 * loading classes on the first one is noise; the constructor reads no time and opens no connection.
 */
public final class RebuildFunction implements RequestStreamHandler {

    /** The member of an open step's answer that lists the segments to work: the state machine's Map goes over it. */
    public static final String SEGMENTS_TO_WORK = "segments";
    /** The member of a segment step's answer that says whether the segment is done: the state machine loops until it is. */
    public static final String DONE = "done";
    /** A segment stops before a page when less than this is left: a page with its retries fits well within it. */
    static final Duration STOP_MARGIN = Duration.ofMinutes(2);
    /**
     * How long the state machine may take from one step to the next of the same run (its retries
     * of a throttled invocation back off for about two minutes in all): the lease outlasts the
     * invocation by this much.
     */
    static final Duration BETWEEN_STEPS = Duration.ofMinutes(5);
    private static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Problems a segment's answer names; its checkpoint counts them all. */
    private static final int PROBLEMS_SHOWN = 10;

    private final ReadModels hosted;
    private final DynamoDbClient dynamo;
    private final EventTable eventTable;
    private final ReadTable readTable;
    private final InstantSource clock;
    private final RebuildLedger ledger;
    private final ClaimChecks claims;

    /** For Lambda: {@link #fromEnvironment} of the process environment. */
    public RebuildFunction() {
        this(Environment.system());
    }

    private RebuildFunction(Environment environment) {
        this(new EventTable(environment.get(FunctionSettings.EVENT_TABLE)), new ReadTable(environment.get(FunctionSettings.READ_TABLE)),
                environment);
    }

    /** The tables are read before the DynamoDB client is built, so a bad name is what stops the function. */
    private RebuildFunction(EventTable eventTable, ReadTable readTable, Environment environment) {
        this(HostedReadModels.STANDARD, environment.dynamoDb(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT), eventTable, readTable,
                Clock.systemUTC(), EventWriting.claimChecks(environment));
    }

    /**
     * The rebuild function as {@code environment} describes it, the one way it is built from its
     * environment: the tables ({@code EVENT_TABLE}, {@code READ_TABLE}), a DynamoDB client
     * configured from the environment's region, endpoint and credentials.
     *
     * @throws IllegalStateException naming the variable, when a setting is missing or malformed
     */
    public static RebuildFunction fromEnvironment(Environment environment) {
        return new RebuildFunction(environment);
    }

    public RebuildFunction(ReadModels hosted, DynamoDbClient dynamo, EventTable eventTable, ReadTable readTable, InstantSource clock) {
        this(hosted, dynamo, eventTable, readTable, clock, ClaimChecks.none());
    }

    /** @param claims how claim-checked payloads are fetched */
    public RebuildFunction(ReadModels hosted, DynamoDbClient dynamo, EventTable eventTable, ReadTable readTable, InstantSource clock,
            ClaimChecks claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.hosted = Objects.requireNonNull(hosted, "hosted");
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.eventTable = Objects.requireNonNull(eventTable, "eventTable");
        this.readTable = Objects.requireNonNull(readTable, "readTable");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ledger = new RebuildLedger(dynamo, readTable);
    }

    /**
     * @throws RebuildStep.RebuildInputException when the input names no step this function can take
     * @throws RebuildRefusedException when another process holds the run, or the run is not as the step says
     * @throws EventTableScan.EventTableUnavailableException when the event table is missing or kept failing
     * @throws dev.factline.functions.view.ReadTableUnavailableException when the read table kept failing
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        RebuildStep step = RebuildStep.parse(input.readAllBytes(), hosted);
        Instant until = clock.instant().plusMillis(context.getRemainingTimeInMillis()).plus(BETWEEN_STEPS);
        ObjectNode answer = switch (step) {
            case RebuildStep.Open open -> open(open, until);
            case RebuildStep.Segment segment -> segment(segment, until, context);
            case RebuildStep.Finish finish -> finish(finish);
        };
        output.write(HttpJson.write(answer).getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode open(RebuildStep.Open open, Instant until) {
        Instant now = clock.instant();
        Run run = ledger.acquire(open.target().space(), open.segments(), open.owner(), now, Duration.between(now, until));
        ObjectNode answer = HttpJson.object().put("space", run.space()).put("alreadyComplete", run.complete());
        // A complete run has nothing left to do: an empty Map goes straight to the finish step.
        IntStream.range(0, run.complete() ? 0 : run.segments()).forEach(answer.putArray(SEGMENTS_TO_WORK)::add);
        return answer;
    }

    private ObjectNode segment(RebuildStep.Segment step, Instant until, Context context) {
        String space = step.target().space();
        held(step);
        if (!ledger.renew(space, step.owner(), until)) {
            throw new RebuildRefusedException("the rebuild of " + space + " was taken over from " + step.owner() + " meanwhile");
        }
        List<RecordProblem> problems = new ArrayList<>();
        SegmentWorker worker = new SegmentWorker(space, step.segments(), new EventTableScan(dynamo, eventTable, claims),
                Projector.forRebuild(step.target().models(), dynamo, readTable, eventTable, clock, claims), ledger, ReadRateLimit.of(0),
                step.pageSize(), Rebuild.THROTTLED, new RebuildProgress(), problems::add);
        AtomicInteger pages = new AtomicInteger();
        // At least one page per invocation, so that the state machine's loop always moves the segment on.
        Checkpoint at;
        try {
            at = worker.run(ledger.checkpoint(space, step.segment()),
                    () -> pages.getAndIncrement() == 0 || context.getRemainingTimeInMillis() > STOP_MARGIN.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("segment " + step.segment() + " of " + space + " was interrupted", interrupted);
        }
        ObjectNode answer = HttpJson.object().put("segment", at.segment()).put(DONE, at.done()).put("commits", at.commits())
                .put("events", at.events()).put("rowsWritten", at.rowsWritten()).put("problems", at.problems());
        problems.stream().limit(PROBLEMS_SHOWN).forEach(problem -> answer.withArray("problemsSeen").add(problem.kind() + ": " + problem.reason()));
        return answer;
    }

    private ObjectNode finish(RebuildStep.Finish step) {
        String space = step.target().space();
        Run run = held(step);
        List<Checkpoint> checkpoints = ledger.checkpoints(space, step.segments());
        if (!run.complete()) {
            List<Integer> open = checkpoints.stream().filter(checkpoint -> !checkpoint.done()).map(Checkpoint::segment).toList();
            if (!open.isEmpty()) {
                throw new RebuildRefusedException("the rebuild of " + space + " cannot finish: segments " + open + " are not done");
            }
            ledger.complete(space, step.owner(), clock.instant());
        }
        return HttpJson.object().put("space", space).put("complete", true)
                .put("events", checkpoints.stream().mapToLong(Checkpoint::events).sum())
                .put("rowsWritten", checkpoints.stream().mapToLong(Checkpoint::rowsWritten).sum())
                .put("problems", checkpoints.stream().mapToLong(Checkpoint::problems).sum());
    }

    /**
     * The run as the step says it is: started with its number of segments and held by its owner,
     * or complete (by whichever process completed it), which only a finish step may see.
     *
     * @throws RebuildRefusedException otherwise, before anything is written
     */
    private Run held(RebuildStep step) {
        String space = step.target().space();
        Run run = ledger.run(space).orElseThrow(() -> new RebuildRefusedException("the rebuild of " + space
                + " was never opened: the state machine's open step starts it"));
        if (run.segments() != step.segments()) {
            throw new RebuildRefusedException("the rebuild of " + space + " was started with " + run.segments() + " segments, not "
                    + step.segments());
        }
        if (run.complete()) {
            if (step instanceof RebuildStep.Segment) {
                throw new RebuildRefusedException("the rebuild of " + space + " is complete: there is no segment left to work");
            }
            return run;
        }
        if (!run.owner().equals(step.owner())) {
            throw new RebuildRefusedException("the rebuild of " + space + " is held by " + run.owner() + ", not " + step.owner());
        }
        return run;
    }
}
