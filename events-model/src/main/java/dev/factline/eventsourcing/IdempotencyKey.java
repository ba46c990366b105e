package dev.factline.eventsourcing;

import java.util.regex.Pattern;

/**
 * A client's promise that two requests carrying it are one command (the {@code Idempotency-Key}
 * header), or a key derived from a triggering event for commands a saga issues.
 */
public record IdempotencyKey(String value) {

    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{8,128}");

    public IdempotencyKey {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("an idempotency key is 8-128 visible ASCII characters without spaces, but was "
                    + Require.quoted(value));
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
