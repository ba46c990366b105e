package dev.factline.functions.view;

/**
 * The read table could not be read or written (DynamoDB failed, or kept holding keys back): the
 * adapters' translation of the SDK's failures, so nothing above them names an AWS exception.
 */
public final class ReadTableUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReadTableUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ReadTableUnavailableException(String message) {
        super(message);
    }
}
