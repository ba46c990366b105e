package dev.factline.functions.publisher;

/**
 * A {@link RecordSink} call that failed as a whole (the network, the service, an answer that does
 * not fit the request) after the client's own retries. Its records may or may not have been
 * stored: publishing them again can duplicate them, never lose them.
 */
public final class RecordSinkUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecordSinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public RecordSinkUnavailableException(String message) {
        super(message);
    }
}
