package dev.factline.functions.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The event store's limits and retention.
 *
 * @param maxPayloadBytes the largest event payload accepted (UTF-8 bytes); events are small facts
 * @param maxCommitBytes the largest commit accepted, kept under DynamoDB's 400 KB item limit
 * @param idempotencyRetention how long an idempotency key is remembered (its claim's TTL)
 * @param readPageItems how many items one read page asks for
 */
public record StoreLimits(long maxPayloadBytes, long maxCommitBytes, Duration idempotencyRetention, int readPageItems) {

    /** What a commit item spends per event besides the payload: ids, type, time, metadata and attribute names. */
    static final long ENVELOPE_BYTES_PER_EVENT = 512;

    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final long DEFAULT_MAX_COMMIT_BYTES = 350 * 1024;

    public StoreLimits {
        Objects.requireNonNull(idempotencyRetention, "idempotencyRetention");
        if (maxPayloadBytes < 1 || maxCommitBytes < maxPayloadBytes || maxCommitBytes > 390 * 1024) {
            throw new IllegalArgumentException("need 0 < maxPayloadBytes <= maxCommitBytes <= 390 KiB, but got "
                    + maxPayloadBytes + " and " + maxCommitBytes);
        }
        if (idempotencyRetention.isNegative() || idempotencyRetention.isZero()) {
            throw new IllegalArgumentException("idempotency retention must be positive, but was " + idempotencyRetention);
        }
        if (readPageItems < 1) {
            throw new IllegalArgumentException("readPageItems must be at least 1, but was " + readPageItems);
        }
    }

    /** 64 KiB payloads, 350 KiB commits, keys kept 24 hours, 100 items a page. */
    public static StoreLimits defaults() {
        return new StoreLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_COMMIT_BYTES, Duration.ofHours(24), 100);
    }
}
