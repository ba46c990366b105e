package dev.factline.personal;

/**
 * The data keys could not be had: the master key (KMS, the local key file) or the store of wrapped
 * keys failed. Nothing was sealed or written; the same request may succeed later (HTTP 503).
 */
public final class KeyServiceUnavailableException extends RuntimeException {

    public KeyServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
