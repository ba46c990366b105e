package dev.factline.functions.publisher;

/**
 * An event that no attempt can publish: its envelope is over the record size Kinesis accepts,
 * or its payload is not a JSON object. Retrying cannot help, so the publisher reports its record
 * at once instead of looping (see {@link PublisherFunction}, "Poison").
 */
public final class UnpublishableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnpublishableEventException(String message) {
        super(message);
    }

    public UnpublishableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
