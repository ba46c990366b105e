package dev.factline.functions.topology;

/**
 * What a function may do with a {@link Resource}: the least it needs, which the CDK stack turns
 * into exactly those permissions.
 */
public enum Access {
    /** Read items (GetItem, BatchGetItem, Query), records (a stream, through its trigger) or objects (S3 GetObject). */
    READ,
    /** Read items and Scan the whole table: a rebuild's read of the history (never a request's). */
    SCAN,
    /**
     * Read items and add new ones, never change or remove one: an event store's own use of its table
     * (and of its payload bucket: GetObject and PutObject).
     */
    APPEND,
    /** Read and write items. */
    READ_WRITE,
    /**
     * Read and put the rows of the inline read models only (their keys' prefixes): the command
     * side's write of a view in its commit.
     */
    INLINE_VIEWS,
    /** Issue and unwrap data keys (KMS GenerateDataKey and Decrypt): a writer's use of the master key. */
    ENCRYPT,
    /** Unwrap data keys only (KMS Decrypt): a reader's use of the master key. */
    DECRYPT,
    /** Put records only (Kinesis PutRecords). */
    WRITE,
    /** Connect over the network (the cache). */
    CONNECT
}
