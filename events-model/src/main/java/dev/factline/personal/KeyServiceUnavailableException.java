package dev.factline.personal;

import org.jspecify.annotations.Nullable;

/**
 * The data keys could not be had: the master key (KMS, the local key file) or the store of wrapped
 * keys failed. Nothing was sealed or written; the same request may succeed later (HTTP 503).
 */
public final class KeyServiceUnavailableException extends RuntimeException {

    public KeyServiceUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
