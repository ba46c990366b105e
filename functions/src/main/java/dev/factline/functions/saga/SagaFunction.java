package dev.factline.functions.saga;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.ProcessOutcome;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.domain.CommandHandlers;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.domain.Reaction;
import dev.factline.functions.observability.LogLine;
import dev.factline.functions.snapstart.Primed;
import dev.factline.functions.snapstart.Priming;
import dev.factline.functions.stream.ChangeBatch.UnreadableRecord;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.stream.ChangeRecord;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.stream.StreamFailures;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The hosted domains' reactions (the order payment saga, {@link dev.factline.saga.OrderPaymentSaga})
 * as a trigger on the event table's stream: for each commit, in the order the shard delivered them,
 * each event's commands go through the same kernel
 * {@link dev.factline.eventsourcing.CommandHandler}s as the HTTP commands, under an idempotency key
 * derived from the event's id. A re-delivered record therefore repeats its commands under the same
 * keys, and the store answers each with the original commit: nothing is debited, paid, cancelled
 * or refunded twice.
 *
 * <p><b>Refusals are outcomes.</b> A command a rule refuses (the order was cancelled meanwhile, the
 * refund was already made) is logged and counted, its compensation if any is issued, and the batch
 * moves on. <b>Technical failures are reported.</b> The store unavailable, writers racing past
 * every attempt, an event that does not decode: the record's sequence number is reported (the
 * lowest such), nothing later of the same stream is handled in this invocation (the stream's order
 * holds), and other streams carry on: {@link StreamFailures}, the policy of every function on the stream. Lambda re-delivers from the reported
 * record; what was done before is answered under its keys.
 *
 * <p><b>Concurrency.</b> Several shards mean several invocations at once, which may command the
 * same account; the handlers' conflict retries (re-load, re-decide) sort them out, and a conflict
 * past every attempt is a technical failure like any other.
 *
 * <p><b>Time.</b> No record is started with less than {@link #TIME_RESERVE} of the invocation left;
 * it and the records after it are reported instead, so give the function a timeout of a minute.
 *
 * <p>Environment: what every writer of the event table reads ({@link EventWriting}: {@code EVENT_TABLE},
 * {@code SNAPSHOT_INTERVAL}, {@code MAX_EVENT_PAYLOAD_BYTES}), so the saga's commits count towards the
 * same streams' snapshots as the command function's. Nothing built in the
 * constructor holds a time, a random value or a connection (SnapStart-safe).
 */
public final class SagaFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Primed {

    /**
     * No record is started with less than this left of the invocation: its commands (a command and
     * its compensation, each a claim and a commit of up to 6 s a call) and the answer must fit.
     */
    static final Duration TIME_RESERVE = Duration.ofSeconds(15);

    private final List<Reaction> reactions;
    private final InstantSource clock;
    private final SagaMetrics metrics;
    private final Consumer<String> log;
    private final ClaimChecks claims;

    /** For Lambda: {@link #fromEnvironment} of the process environment, primed before a SnapStart snapshot. */
    public SagaFunction() {
        this(EventWriting.fromEnvironment(Environment.system()));
        Primed.register(this);
    }

    private SagaFunction(EventWriting writing) {
        this(writing.store(), Clock.systemUTC(), IdGenerator.random(), writing.policy(), SagaMetrics.embedded(), System.out::println,
                writing.claims());
    }

    /**
     * The saga function as {@code environment} describes it, the one way Lambda (through the no-arg
     * constructor) and the local pipeline build it: it writes the event table as the command
     * function does ({@link EventWriting}), on a DynamoDB client configured from the environment's
     * region, endpoint and credentials.
     *
     * @throws IllegalStateException naming the variable, when a setting is missing or malformed
     */
    public static SagaFunction fromEnvironment(Environment environment) {
        return new SagaFunction(EventWriting.fromEnvironment(environment));
    }

    public SagaFunction(EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy, SagaMetrics metrics) {
        this(store, clock, ids, policy, metrics, System.out::println, ClaimChecks.none());
    }

    /** @param claims how the batch's claim-checked payloads are fetched, as the event store's writes made them */
    SagaFunction(EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy, SagaMetrics metrics, Consumer<String> log,
            ClaimChecks claims) {
        CommandHandlers handlers = CommandHandlers.of(HostedDomains.STANDARD, store, clock, ids, policy, LogLine.warningsTo(log));
        this.reactions = HostedDomains.STANDARD.reactions().stream().map(reaction -> reaction.build(handlers)).toList();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /** Before the SnapStart snapshot: runs the saga for a placed order on an offline copy of this function. */
    @Override
    public void prime() {
        try (DynamoDbClient offline = Priming.dynamoDb()) {
            Priming.processed(new SagaFunction(Priming.eventStore(offline), Priming.CLOCK, Priming.ids(), WritePolicy.defaults(),
                    SagaMetrics.none(), line -> { }, ClaimChecks.none()).handleRequest(Priming.orderCommit(), null), "an order's commit");
        }
    }

    /** Read the batch, issue each event's commands in order, answer with where Lambda must resume. */
    @Override
    public StreamsEventResponse handleRequest(@Nullable DynamodbEvent event, @Nullable Context context) {
        ChangeBatch batch = ChangeBatch.of(event, claims);
        Run run = new Run(StreamFailures.of(batch));
        run.reportUnreadable(batch);
        for (ChangeRecord commit : batch.commits()) {
            if (run.failures.mustWait(commit)) {
                continue;
            }
            if (context != null && context.getRemainingTimeInMillis() < TIME_RESERVE.toMillis()) {
                // Out of time: this record and everything after it come again (time only runs down).
                run.failures.failed(new RecordProblem("out-of-time", commit.sequenceNumber(), null, null, null,
                        "less than " + TIME_RESERVE.toSeconds() + " s of the invocation left"));
                continue;
            }
            run.handle(commit);
        }
        account(batch, run);
        return run.failures.response();
    }

    /** One invocation's progress: its failures and the counts. */
    private final class Run {

        final StreamFailures failures;
        int events;
        int issued;
        int replayed;
        int refused;
        int compensations;

        Run(StreamFailures failures) {
            this.failures = failures;
        }

        /** Reports every unreadable record: each stops its stream, or every stream when its keys do not name one. */
        void reportUnreadable(ChangeBatch batch) {
            for (UnreadableRecord unreadable : batch.unreadable()) {
                String sequenceNumber = unreadable.sequenceNumber();
                log.accept(LogLine.about(null).put("function", "saga").put("unreadableRecord", sequenceNumber)
                        .put("reason", unreadable.reason()).text());
                String streamId = unreadable.position().map(position -> position.streamId().toString()).orElse(null);
                failures.failed(new RecordProblem("unreadable", sequenceNumber, streamId, null, null, unreadable.reason()));
            }
        }

        void handle(ChangeRecord commit) {
            String sequenceNumber = commit.sequenceNumber();
            for (RecordedEvent recorded : commit.events()) {
                events++;
                try {
                    for (Reaction reaction : reactions) {
                        List<ProcessOutcome> outcomes = reaction.react(recorded);
                        for (int i = 0; i < outcomes.size(); i++) {
                            count(outcomes.get(i), i > 0, recorded);
                        }
                    }
                } catch (RuntimeException failure) {
                    failures.failed(new RecordProblem("command-failed", sequenceNumber, recorded.streamId().toString(), recorded.version(),
                            null, String.valueOf(failure.getMessage())));
                    log.accept(LogLine.about(failure).put("function", "saga").put("sequenceNumber", sequenceNumber)
                            .put("streamId", recorded.streamId().toString()).put("version", recorded.version())
                            .put("eventType", recorded.type()).text());
                    return;
                }
            }
        }

        private void count(ProcessOutcome outcome, boolean compensation, RecordedEvent cause) {
            if (compensation) {
                compensations++;
            }
            switch (outcome) {
                case ProcessOutcome.Issued done -> {
                    if (done.result().replayed()) {
                        replayed++;
                    } else {
                        issued++;
                    }
                }
                case ProcessOutcome.Refused no -> {
                    refused++;
                    log.accept(LogLine.about(null).put("function", "saga").put("outcome", "refused").put("code", no.code())
                            .put("target", no.step().target().toString()).put("key", no.step().key().value())
                            .put("cause", cause.streamId() + "@" + cause.version() + " " + cause.type())
                            .put("detail", no.message()).text());
                }
            }
        }
    }

    /** One log line and one metrics flush per batch; neither can change the answer. */
    private void account(ChangeBatch batch, Run run) {
        SagaBatch counted = new SagaBatch(batch.records(), run.events, run.issued, run.replayed, run.refused, run.compensations,
                run.failures.failedRecords(), batch.unreadable().size(), batch.lag(clock.instant()).orElse(null),
                run.failures.retryFrom().orElse(null));
        log.accept(LogLine.about(null).put("function", "saga").put("records", counted.records()).put("events", counted.events())
                .put("commandsIssued", counted.commandsIssued()).put("commandsReplayed", counted.commandsReplayed())
                .put("commandsRefused", counted.commandsRefused()).put("compensations", counted.compensations())
                .put("failedRecords", counted.failedRecords()).put("retryFrom", counted.retryFrom()).text());
        try {
            metrics.record(counted);
        } catch (RuntimeException failure) {
            log.accept(LogLine.about(failure).put("function", "saga").put("metrics", "failed").text());
        }
    }
}
