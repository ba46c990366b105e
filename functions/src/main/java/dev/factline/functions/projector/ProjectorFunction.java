package dev.factline.functions.projector;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.snapstart.Primed;
import dev.factline.functions.snapstart.Priming;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.view.CacheGeneration;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The projector: the event table's stream, in batches, into the read table's views and the
 * order dashboard, written through to Redis. See {@link Projector} for the steps, and
 * {@code docs/decisions/projector-batches.md}, {@code stream-failures.md} and {@code cache-generation.md}
 * for why each holds under duplicates, re-delivery and outages.
 *
 * <p>Its trigger must report batch item failures ({@code ReportBatchItemFailures}): the answer
 * names the lowest sequence number to retry, never fails the whole batch for one record.
 */
public final class ProjectorFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Primed {

    private static final Duration DYNAMODB_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DYNAMODB_CALL_TIMEOUT = Duration.ofSeconds(10);
    static final RetryBackoff.FullJitter CONTENTION_BACKOFF = new RetryBackoff.FullJitter(Duration.ofMillis(10), Duration.ofMillis(200));
    /**
     * What a batch keeps of its invocation's time after its last transaction: the Redis pipeline
     * (its timeout, 500 ms), the cache generation's write when Redis is away, the answer and the log.
     */
    static final Duration TIME_RESERVE = Duration.ofSeconds(5);

    private final Projector projector;
    private final ProjectorMetrics metrics;
    private final ProjectorLog log;
    private final InstantSource clock;

    /** For Lambda: {@link #fromEnvironment} of the process environment, primed before a SnapStart snapshot. */
    public ProjectorFunction() {
        this(Environment.system());
        Primed.register(this);
    }

    private ProjectorFunction(Environment environment) {
        this(new ReadTable(environment.get(FunctionSettings.READ_TABLE)), new EventTable(environment.get(FunctionSettings.EVENT_TABLE)),
                ViewCache.fromEnvironment(environment), environment);
    }

    /** The settings are read before the DynamoDB client is built, so a bad one is what stops the function. */
    private ProjectorFunction(ReadTable readTable, EventTable eventTable, ViewCache cache, Environment environment) {
        this(HostedReadModels.STANDARD, environment.dynamoDb(DYNAMODB_ATTEMPT_TIMEOUT, DYNAMODB_CALL_TIMEOUT), readTable, eventTable, cache,
                Clock.systemUTC(), ProjectorMetrics.embedded(), EventWriting.claimChecks(environment));
    }

    private ProjectorFunction(ReadModels models, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable, ViewCache cache,
            InstantSource clock, ProjectorMetrics metrics, ClaimChecks claims) {
        this(models, new ViewWriter(dynamo, readTable, CONTENTION_BACKOFF, ViewItems.claimedWith(claims)), dynamo, readTable, eventTable, cache,
                clock, metrics, ProjectorLog.standardOutput(), claims);
    }

    /**
     * The projector as {@code environment} describes it, the one way Lambda (through the no-arg
     * constructor) and the local pipeline build it: the tables ({@code READ_TABLE}, and
     * {@code EVENT_TABLE}, which it reads when a batch lacks events a view is missing), the Redis
     * cache as {@link ViewCache#fromEnvironment} builds it, a DynamoDB client configured from the
     * environment's region, endpoint and credentials.
     *
     * @throws IllegalStateException naming the variable, when a setting is missing or malformed
     */
    public static ProjectorFunction fromEnvironment(Environment environment) {
        return new ProjectorFunction(environment);
    }

    /** The hosted read models ({@link HostedReadModels#STANDARD}) on clients built elsewhere. */
    public ProjectorFunction(DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable, ViewCache cache,
            InstantSource clock, ProjectorMetrics metrics) {
        this(HostedReadModels.STANDARD, dynamo, readTable, eventTable, cache, clock, metrics);
    }

    public ProjectorFunction(ReadModels models, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable, ViewCache cache,
            InstantSource clock, ProjectorMetrics metrics) {
        this(models, new ViewWriter(dynamo, readTable, CONTENTION_BACKOFF), dynamo, readTable, eventTable, cache, clock, metrics);
    }

    ProjectorFunction(ReadModels models, ViewWriter writer, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable,
            ViewCache cache, InstantSource clock, ProjectorMetrics metrics) {
        this(models, writer, dynamo, readTable, eventTable, cache, clock, metrics, ProjectorLog.standardOutput(), ClaimChecks.none());
    }

    ProjectorFunction(ReadModels models, ViewWriter writer, DynamoDbClient dynamo, ReadTable readTable, EventTable eventTable,
            ViewCache cache, InstantSource clock, ProjectorMetrics metrics, ProjectorLog log, ClaimChecks claims) {
        this.projector = new Projector(
                models,
                writer,
                new DynamoDbEventStore(dynamo, eventTable, StoreLimits.defaults(), clock).withClaimChecks(claims),
                cache,
                new CacheGeneration(dynamo, readTable),
                CONTENTION_BACKOFF,
                clock,
                claims);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = clock;
    }

    /** Before the SnapStart snapshot: projects a commit on an offline copy of this function, without a cache. */
    @Override
    public void prime() {
        try (DynamoDbClient offline = Priming.dynamoDb()) {
            ProjectorFunction copy = new ProjectorFunction(HostedReadModels.STANDARD, new ViewWriter(offline, Priming.READ_TABLE, CONTENTION_BACKOFF),
                    offline, Priming.READ_TABLE, Priming.EVENT_TABLE, ViewCache.none(), Priming.CLOCK, ProjectorMetrics.none(),
                    new ProjectorLog(line -> { }), ClaimChecks.none());
            Priming.processed(copy.handleRequest(Priming.accountCommit(), null), "an account's commit");
        }
    }

    @Override
    public StreamsEventResponse handleRequest(@Nullable DynamodbEvent event, @Nullable Context context) {
        Instant started = clock.instant();
        Projector.Result result = context == null ? projector.project(event)
                : projector.project(event, Duration.ofMillis(context.getRemainingTimeInMillis()).minus(TIME_RESERVE));
        log.batch(result, Duration.between(started, clock.instant()));
        try {
            metrics.record(result.figures());
        } catch (RuntimeException metricsFailed) {
            // The batch's work is done and durable: losing its metrics must not make Lambda deliver it again.
            log.metricsFailed(metricsFailed);
        }
        return result.response();
    }
}
