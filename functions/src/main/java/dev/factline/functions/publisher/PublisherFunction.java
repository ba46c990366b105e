package dev.factline.functions.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.snapstart.Primed;
import dev.factline.functions.snapstart.Priming;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The publisher function: a trigger of its own on the event table's DynamoDB stream (beside the
 * projectors') that forwards every committed event to a Kinesis data stream, one record per event:
 * partition key = the stream id, data = the JSON envelope of {@link EventEnvelopes}.
 *
 * <h2>Order: what is guaranteed</h2>
 *
 * <b>The publisher never has two events of one stream in one {@code PutRecords} call, and sends
 * version v of a stream only after a call has reported a copy of version v - 1 stored.</b> All of a
 * stream's records share its partition key, so they go to one shard, and a shard is an append-only
 * sequence: the first copy of v lands after a copy of v - 1 (after a reshard, in a child shard,
 * which Lambda and the KCL read after its parent). Kinesis promises no order among the entries of
 * one {@code PutRecords} call, and a partial failure can store a later entry while an earlier one
 * is refused; neither can reorder a stream here, because a call never holds two of its events.
 * Across invocations the chain holds because Lambda hands a shard's next batch over only after this
 * one answered (with a {@code ParallelizationFactor} above 1, it still keeps each partition key's
 * records, here a stream's, in order), and every record before the sequence number this one
 * reports was fully published.
 *
 * <p>For a consumer this means: <b>per stream, keep the last version applied and ignore every
 * envelope whose version is not greater (a duplicate, recognised by {@code (streamId, version)});
 * what remains is 1, 2, 3, ... in order, with no gaps.</b> The first copy of v comes after a copy of
 * each of 1 .. v - 1 and before the first copy of any later version, so after the filter nothing
 * is out of order and nothing is missing.
 *
 * <p>Duplicates happen: when Lambda re-delivers from a reported sequence number, the records after
 * it that were already published are published again; a call that fails as a whole (a timeout, a
 * dropped connection) may have stored its entries, which are sent again; the SDK retries calls
 * whose answer was lost. None of this breaks the rule above, since v + 1 still waits for a
 * confirmed copy of v. A late copy of v (a call given up by the client but completed by the
 * server) may land after v + 1: it is not above the highest version seen, so the filter drops it.
 *
 * <p>A version above last + 1 is a gap, which the publisher never makes. It can only come from
 * outside: the trigger's {@code MaximumRetryAttempts} or {@code MaximumRecordAgeInSeconds} made Lambda
 * skip a record (to the on-failure destination), the trigger started at {@code LATEST}, or DynamoDB
 * Streams delivered a stream's commits out of version order (it orders records per item; a stream's
 * commits are items under one partition key, in one stream shard at a time). A consumer that meets a
 * gap reloads the stream from the event table, the source of truth.
 *
 * <h2>Within an invocation</h2>
 *
 * Each stream's events wait in version order; each call takes one event of as many streams as fit
 * (500 records, 5 MiB, see {@link PublishLimits}). Refused entries ({@code FailedRecordCount},
 * throttling) are sent again, and only they, after a jittered backoff, up to
 * {@link PublishPolicy#DEFAULT_ATTEMPTS} attempts; their streams' later events wait behind them;
 * other streams go on. So a batch costs as many calls as its busiest stream has events (more when
 * the 500-record or 5 MiB limit binds): 100 events over 10 streams take 10 calls; 500 events of
 * 500 streams take 1.
 *
 * <p>A record is not fully published when an event of it is still refused after its attempts, when
 * it is unreadable, when it holds an unpublishable event, when it waits behind such a record of its
 * stream, or when the invocation runs short of time. The answer ({@code ReportBatchItemFailures})
 * names the lowest sequence number among those records, so Lambda re-delivers from there and loses
 * nothing; everything before it was published. The rest of the batch is still published where order
 * allows: other streams' records go out, also after the failed one.
 *
 * <h2>Poison</h2>
 *
 * An event whose record would exceed 1 MiB, envelope plus partition key (Kinesis would refuse the
 * whole call, on every attempt), or whose payload is not a JSON object (no consumer could read it)
 * is never sent. No attempt can succeed, so none is made: its record is reported at once and its
 * stream held back. Lambda then re-delivers from it until the trigger's
 * {@code MaximumRetryAttempts}, sends it to the trigger's on-failure destination and moves on (the
 * stream then shows consumers a gap). The trigger must therefore set both: the default retries until
 * the record expires after 24 hours, holding up the whole shard. The store refuses commits over 350
 * KiB, so an envelope from the event table stays far below 1 MiB; the check keeps a future change of
 * limits from turning into an endless loop. The log line and {@code UnpublishableEvents} name it.
 *
 * <h2>Trigger</h2>
 *
 * The event source mapping on the table's stream must set {@code ReportBatchItemFailures} (else an
 * answer naming a record is read as success, and that record is lost), {@code MaximumRetryAttempts}
 * and an on-failure destination (see Poison), and start at {@code TRIM_HORIZON}. A filter on
 * {@code kind = commit} saves invocations; records of other kinds are passed over anyway.
 *
 * <h2>Environment, SnapStart</h2>
 *
 * {@code PUBLISHED_EVENTS_STREAM} names the Kinesis stream; region, endpoint and credentials come
 * the SDK's own way ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_KINESIS}, the execution role), see
 * {@link #fromEnvironment}, which builds the Kinesis client once (URLConnection HTTP client, 5 s an
 * attempt, no retries inside the SDK: a call that fails or times out is this publisher's to retry,
 * with its backoff, counted in its metrics and its batch log line); nothing built there holds a time, a random value or a connection, and the backoff draws a
 * fresh {@code SecureRandom} per pause. It starts no call with less than 15 s of the invocation left,
 * so give the function a timeout of a minute or more.
 */
public final class PublisherFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Primed {

    private static final Duration KINESIS_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration KINESIS_CALL_TIMEOUT = Duration.ofSeconds(12);
    /** A whole call (its SDK retries included) and the answer must fit in what is left. */
    static final Duration TIME_RESERVE = KINESIS_CALL_TIMEOUT.plusSeconds(3);

    private final OrderedPublisher publisher;
    private final InstantSource clock;
    private final PublisherMetrics metrics;
    private final PublisherLog log;
    private final Duration timeReserve;
    private final ClaimChecks claims;

    /** For Lambda: {@link #fromEnvironment} of the process environment, primed before a SnapStart snapshot. */
    public PublisherFunction() {
        this(Environment.system());
        Primed.register(this);
    }

    private PublisherFunction(Environment environment) {
        this(kinesisSink(environment), PublishLimits.kinesis(), PublishPolicy.defaults(TIME_RESERVE), Clock.systemUTC(),
                PublisherMetrics.embedded(), PublisherLog.standardOutput(), EventWriting.claimChecks(environment));
    }

    /**
     * The publisher as {@code environment} describes it, the one way Lambda (through the no-arg
     * constructor) and the local pipeline build it: the Kinesis stream {@code PUBLISHED_EVENTS_STREAM}
     * names, on a client configured from the environment's region, endpoint and credentials, with
     * Kinesis's quotas and {@link #TIME_RESERVE}.
     *
     * @throws IllegalStateException naming the variable, when a setting is missing or malformed
     */
    public static PublisherFunction fromEnvironment(Environment environment) {
        return new PublisherFunction(environment);
    }

    public PublisherFunction(RecordSink sink, PublishLimits limits, PublishPolicy policy, InstantSource clock, PublisherMetrics metrics) {
        this(sink, limits, policy, clock, metrics, PublisherLog.standardOutput(), ClaimChecks.none());
    }

    /** @param claims how the batch's claim-checked payloads are fetched, and where an envelope too large for a record points */
    PublisherFunction(RecordSink sink, PublishLimits limits, PublishPolicy policy, InstantSource clock, PublisherMetrics metrics,
            PublisherLog log, ClaimChecks claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.publisher = new OrderedPublisher(sink, limits, policy, claims);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.timeReserve = policy.timeReserve();
    }

    /**
     * Before the SnapStart snapshot: publishes a commit through an offline copy of this function, on
     * a Kinesis client that marshals and signs {@code PutRecords} in the protocol its own client
     * speaks (CBOR on Lambda) and answers it without connecting ({@link Priming#kinesis()}).
     */
    @Override
    public void prime() {
        try (KinesisClient offline = Priming.kinesis()) {
            Priming.processed(new PublisherFunction(new KinesisRecordSink(offline, Priming.ID), PublishLimits.kinesis(),
                    PublishPolicy.defaults(TIME_RESERVE), Priming.CLOCK, PublisherMetrics.none(), new PublisherLog(line -> { }), ClaimChecks.none())
                    .handleRequest(Priming.accountCommit(), null), "an account's commit");
        }
    }

    /** Read the batch, publish it in order, answer with where Lambda must resume. */
    @Override
    public StreamsEventResponse handleRequest(@Nullable DynamodbEvent event, @Nullable Context context) {
        long started = System.nanoTime();
        ShardBatch batch = ShardBatch.of(event, claims);
        PublishReport report = publisher.publish(batch, deadline(context));
        account(batch, report, Duration.ofNanos(System.nanoTime() - started));
        return report.response();
    }

    private Deadline deadline(@Nullable Context context) {
        return context == null
                ? Deadline.none()
                : Deadline.after(Duration.ofMillis(context.getRemainingTimeInMillis()), timeReserve, System::nanoTime);
    }

    /** One log line and one metrics flush; neither can change the answer. */
    private void account(ShardBatch batch, PublishReport report, Duration took) {
        PublishedBatch counted = new PublishedBatch(
                batch.changes().records(),
                batch.changes().commits().size(),
                report.eventsPublished(),
                report.putRecordsCalls(),
                report.entriesRetried(),
                report.entriesRefused(),
                report.recordsFailed(),
                report.unreadableRecords(),
                report.unpublishableEvents(),
                batch.changes().lag(clock.instant()).orElse(null),
                report.retryFrom());
        log.batch(counted, report.problems(), took);
        try {
            metrics.record(counted);
        } catch (RuntimeException failure) {
            log.metricsFailed(failure);
        }
    }

    /** The stream is read before the client is built, so a bad name is what stops the function. */
    private static RecordSink kinesisSink(Environment environment) {
        String streamName = environment.get(FunctionSettings.PUBLISHED_EVENTS_STREAM);
        return new KinesisRecordSink(environment.kinesis(KINESIS_ATTEMPT_TIMEOUT, KINESIS_CALL_TIMEOUT), streamName);
    }
}
