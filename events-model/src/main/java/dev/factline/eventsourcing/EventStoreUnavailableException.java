package dev.factline.eventsourcing;

/**
 * The store failed for a reason of its own: unreachable, throttled, misconfigured. Unlike a
 * conflict or a refusal this says nothing about the stream, and an append that failed this way
 * may or may not have taken effect: a retry under the same idempotency key finds out safely.
 */
public final class EventStoreUnavailableException extends RuntimeException {

    public EventStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
