package dev.factline.functions.query;

/** The read table could not be read (DynamoDB failed for a reason of its own); the request may be retried. */
final class ViewsUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ViewsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
