package dev.factline.eventsourcing;

/**
 * An idempotency key sent again with a different request than the one that first used it
 * (another fingerprint, or another stream).
 * Answering with the first result would hide the client's bug, so the request is refused.
 */
public final class IdempotencyKeyReusedException extends RuntimeException {

    private final IdempotencyKey key;
    private final Commit original;

    public IdempotencyKeyReusedException(IdempotencyKey key, Commit original) {
        super("idempotency key '" + key + "' was already used by a different request (on " + original.streamId()
                + " at version " + original.streamVersion() + ")");
        this.key = key;
        this.original = original;
    }

    public IdempotencyKey key() {
        return key;
    }

    public Commit original() {
        return original;
    }
}
