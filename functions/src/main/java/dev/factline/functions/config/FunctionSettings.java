package dev.factline.functions.config;

import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.StoreLimits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every environment variable a function reads, declared once: the functions read them through
 * {@link Environment#get}, the topology names them for each function (the resources it is given,
 * the settings it is deployed with), and the CDK stack and the local pipeline set them from the
 * topology. No function, topology or stack spells a variable's name itself.
 */
public final class FunctionSettings {

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    // Where things are: the CDK stack and the local pipeline give each function the resources the topology wires it to.

    public static final Setting<String> EVENT_TABLE = Setting.name("EVENT_TABLE", "the name of the DynamoDB event table",
            TABLE_NAME, "a DynamoDB table name (3-255 characters of a-z, A-Z, 0-9, '_', '.' or '-')");
    public static final Setting<String> READ_TABLE = Setting.name("READ_TABLE", "the name of the DynamoDB read table",
            TABLE_NAME, "a DynamoDB table name (3-255 characters of a-z, A-Z, 0-9, '_', '.' or '-')");
    public static final Setting<String> PUBLISHED_EVENTS_STREAM = Setting.name("PUBLISHED_EVENTS_STREAM",
            "the name of the Kinesis stream to publish events to",
            STREAM_NAME, "a Kinesis stream name (1-128 characters of a-z, A-Z, 0-9, '_', '.' or '-')");
    /** {@code redis://host:port} or {@code rediss://host:port} (TLS, as ElastiCache Serverless requires); unset, there is no cache. */
    public static final Setting<Optional<URI>> REDIS_URL = Setting.url("REDIS_URL",
            "the URL of the Redis (ElastiCache) view cache", Set.of("redis", "rediss"), "redis://host:6379 or rediss://host:6379");
    /**
     * What wraps subjects' data keys: a KMS key (its ARN, alias or id) on AWS, or {@code file:<path>}
     * of a local master key file; unset, the function seals and reveals no personal data.
     */
    public static final Setting<Optional<String>> MASTER_KEY = Setting.text("MASTER_KEY",
            "the master key of personal data: a KMS key ARN, alias/<name> or key id, or file:<path> of a local key file");

    /**
     * The S3 bucket of claim-checked payloads: a payload over {@code MAX_EVENT_PAYLOAD_BYTES} is stored
     * there by its digest and its event holds the claim; unset, such a payload is refused (413).
     */
    public static final Setting<Optional<String>> PAYLOAD_BUCKET = Setting.text("PAYLOAD_BUCKET",
            "the S3 bucket of payloads too large to keep in their events");

    // How a function behaves: the topology sets these per function, or leaves the default.

    /** Snapshot after every this many events of a stream; 0 turns snapshots off. Read alike by every writer of the event table. */
    public static final Setting<Integer> SNAPSHOT_INTERVAL = Setting.count("SNAPSHOT_INTERVAL",
            "the number of events between a stream's snapshots", SnapshotPolicy.DEFAULT_EVERY, 0, Integer.MAX_VALUE);
    /**
     * The largest event payload kept in its commit; a commit's own limit bounds it. With a
     * {@code PAYLOAD_BUCKET}, a larger one (up to {@code MAX_CLAIMED_PAYLOAD_BYTES}) goes to S3 by claim check.
     */
    public static final Setting<Integer> MAX_EVENT_PAYLOAD_BYTES = Setting.count("MAX_EVENT_PAYLOAD_BYTES",
            "the largest event payload kept in the event table, in bytes", Math.toIntExact(StoreLimits.DEFAULT_MAX_PAYLOAD_BYTES),
            1, Math.toIntExact(StoreLimits.DEFAULT_MAX_COMMIT_BYTES));
    /** The largest payload accepted by claim check (with a {@code PAYLOAD_BUCKET}); larger ones are refused (413). */
    public static final Setting<Integer> MAX_CLAIMED_PAYLOAD_BYTES = Setting.count("MAX_CLAIMED_PAYLOAD_BYTES",
            "the largest event payload accepted into the payload bucket, in bytes", Math.toIntExact(ClaimChecks.DEFAULT_MAX_PAYLOAD_BYTES),
            Math.toIntExact(StoreLimits.DEFAULT_MAX_COMMIT_BYTES), Math.toIntExact(ClaimChecks.LARGEST_MAX_PAYLOAD_BYTES));
    /**
     * How long a Redis call may take, to connect and for each answer, before Redis counts as away and
     * the read table answers instead.
     */
    public static final Setting<Duration> REDIS_TIMEOUT_MS = Setting.millis("REDIS_TIMEOUT_MS",
            "how long a call to Redis may take, in milliseconds", Duration.ofMillis(250));
    /** A last resort against a cache entry nothing evicts; write-through and repairs keep entries fresh. */
    public static final Setting<Duration> VIEW_CACHE_TTL_MS = Setting.millis("VIEW_CACHE_TTL_MS",
            "how long a view lives in Redis without being written again, in milliseconds", Duration.ofHours(1));
    /**
     * How long a query container keeps a tally's summary: the staleness it adds to a dashboard, which
     * saves a BatchGetItem of every shard row per read.
     */
    public static final Setting<Duration> TALLY_LRU_TTL_MS = Setting.millis("TALLY_LRU_TTL_MS",
            "how long a query container keeps a tally, in milliseconds", Duration.ofSeconds(1));
    /** How often a query container reads the cache generation before using Redis. */
    public static final Setting<Duration> CACHE_GENERATION_CHECK_MS = Setting.millis("CACHE_GENERATION_CHECK_MS",
            "how often a query container reads the cache generation, in milliseconds", Duration.ofSeconds(1));

    // The SDK's own, read by Environment's clients as the SDK reads them from the process: Lambda sets the region and the
    // credentials; LocalStack and the local pipeline set the endpoints.

    public static final Setting<Optional<String>> AWS_REGION = Setting.text("AWS_REGION", "the AWS region");
    public static final Setting<Optional<URI>> AWS_ENDPOINT_URL = Setting.url("AWS_ENDPOINT_URL",
            "the endpoint of every AWS service without an endpoint of its own", Set.of("http", "https"), "http://localhost:4566");
    public static final Setting<Optional<URI>> AWS_ENDPOINT_URL_DYNAMODB = Setting.url("AWS_ENDPOINT_URL_DYNAMODB",
            "the DynamoDB endpoint", Set.of("http", "https"), "http://localhost:8000");
    public static final Setting<Optional<URI>> AWS_ENDPOINT_URL_KINESIS = Setting.url("AWS_ENDPOINT_URL_KINESIS",
            "the Kinesis endpoint", Set.of("http", "https"), "http://localhost:4567");
    public static final Setting<Optional<URI>> AWS_ENDPOINT_URL_KMS = Setting.url("AWS_ENDPOINT_URL_KMS",
            "the KMS endpoint", Set.of("http", "https"), "http://localhost:4566");
    public static final Setting<Optional<URI>> AWS_ENDPOINT_URL_S3 = Setting.url("AWS_ENDPOINT_URL_S3",
            "the S3 endpoint", Set.of("http", "https"), "http://localhost:4568");
    public static final Setting<Optional<String>> AWS_ACCESS_KEY_ID = Setting.text("AWS_ACCESS_KEY_ID", "the access key of the credentials");
    public static final Setting<Optional<String>> AWS_SECRET_ACCESS_KEY = Setting.text("AWS_SECRET_ACCESS_KEY",
            "the secret key of the credentials");
    public static final Setting<Optional<String>> AWS_SESSION_TOKEN = Setting.text("AWS_SESSION_TOKEN",
            "the session token of temporary credentials");

    /** All of the above. */
    public static final List<Setting<?>> ALL = List.of(
            EVENT_TABLE, READ_TABLE, PUBLISHED_EVENTS_STREAM, REDIS_URL, MASTER_KEY, PAYLOAD_BUCKET,
            SNAPSHOT_INTERVAL, MAX_EVENT_PAYLOAD_BYTES, MAX_CLAIMED_PAYLOAD_BYTES, REDIS_TIMEOUT_MS, VIEW_CACHE_TTL_MS, TALLY_LRU_TTL_MS, CACHE_GENERATION_CHECK_MS,
            AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_S3,
            AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN);

    private FunctionSettings() {
    }

    /** The setting a variable is, if a function reads it. */
    public static Optional<Setting<?>> named(String variable) {
        return ALL.stream().filter(setting -> setting.name().equals(variable)).findFirst();
    }
}
