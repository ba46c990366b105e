package dev.factline.functions.store;

/**
 * The store of claim-checked payloads (S3) could not be used: unreachable, throttled, refusing
 * access. An append that meets it writes nothing to the event table (the blob is stored first);
 * a read that meets it answers nothing rather than an event without its payload.
 */
public final class PayloadStoreUnavailableException extends RuntimeException {

    public PayloadStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
