package dev.factline.personal;

/**
 * A sealed personal field failed its integrity check or is not sealed text at all: its bytes were
 * changed, or it was moved from another subject or key. It names where it was found (the event, or
 * the view and field) and is never answered with silently wrong data.
 */
public final class PersonalDataTamperedException extends RuntimeException {

    public PersonalDataTamperedException(String message, Throwable cause) {
        super(message, cause);
    }

    public PersonalDataTamperedException(String message) {
        super(message);
    }
}
