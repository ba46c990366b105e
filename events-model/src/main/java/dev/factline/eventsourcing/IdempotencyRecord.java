package dev.factline.eventsourcing;

/** What the store remembers of a committed command that carried an idempotency key. */
public record IdempotencyRecord(IdempotencyKey key, String fingerprint, Commit commit) {
}
