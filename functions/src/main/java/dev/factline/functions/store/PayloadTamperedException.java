package dev.factline.functions.store;

/**
 * A claim-checked payload could not be read back as it was written: its blob is missing, or its
 * bytes do not have the digest its event names. The message names the event; a reader never gets
 * other data in its place.
 */
public final class PayloadTamperedException extends RuntimeException {

    public PayloadTamperedException(String message) {
        super(message);
    }
}
