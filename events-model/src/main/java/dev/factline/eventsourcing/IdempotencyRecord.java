package dev.factline.eventsourcing;

import java.util.Objects;

/** What the store remembers of a committed command that carried an idempotency key. */
public record IdempotencyRecord(IdempotencyKey key, String fingerprint, Commit commit) {

    public IdempotencyRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(commit, "commit");
    }

    /** Whether {@code idempotency} on {@code streamId} is the very request this key recorded. */
    public boolean isRepeatOf(Idempotency idempotency, StreamId streamId) {
        return fingerprint.equals(idempotency.fingerprint()) && commit.streamId().equals(streamId);
    }
}
