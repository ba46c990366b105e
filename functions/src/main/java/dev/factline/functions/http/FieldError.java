package dev.factline.functions.http;

import java.util.Objects;

/**
 * One refused member of a request body: where it is (an RFC 6901 JSON pointer; {@code ""} is the
 * whole body) and what is wrong with it, as a sentence that names the pointer.
 */
public record FieldError(String pointer, String detail) {

    public FieldError {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(detail, "detail");
    }
}
