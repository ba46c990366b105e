package dev.factline.functions.topology;

/** What a function is wired to; the CDK stack and the local pipeline each say where it is. */
public enum Resource {
    /** The DynamoDB event table (commits, snapshots, idempotency claims). */
    EVENT_TABLE,
    /** The event table's DynamoDB stream, read by the stream triggers. */
    EVENT_STREAM,
    /** The DynamoDB read table (views, the dashboard, the cache generation). */
    READ_TABLE,
    /** The Kinesis stream events are published to. */
    PUBLISHED_EVENTS,
    /** The master key that wraps subjects' data keys: a KMS key on AWS, a key file locally. */
    MASTER_KEY,
    /** The S3 bucket of claim-checked payloads, those too large for their commits (docs/decisions/claim-checks.md). */
    PAYLOAD_BUCKET,
    /** The Redis (ElastiCache) cache of views; optional: a deployment without it leaves {@code REDIS_URL} unset. */
    VIEW_CACHE
}
