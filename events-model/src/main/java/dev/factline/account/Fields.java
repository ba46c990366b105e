package dev.factline.account;

import dev.factline.money.Money;
import org.jspecify.annotations.Nullable;

/**
 * Shape checks shared by the commands and events. Each names the offending field, so a bad
 * request can be answered with a 400 that says what to fix.
 */
final class Fields {

    static final int MAX_REFERENCE_LENGTH = 100;

    private Fields() {
    }

    static <T> T required(String field, @Nullable T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** An amount that moves money: present and more than zero. */
    static Money requirePositive(String field, @Nullable Money amount) {
        Money present = required(field, amount);
        if (!present.isPositive()) {
            throw new IllegalArgumentException(field + " must be more than zero, but was " + present);
        }
        return present;
    }

    /** A free-text reference: absent, or 1-100 characters that are not all blank. */
    static @Nullable String optionalReference(String field, @Nullable String reference) {
        if (reference != null && (reference.isBlank() || reference.length() > MAX_REFERENCE_LENGTH)) {
            String given = reference.length() > MAX_REFERENCE_LENGTH ? reference.length() + " characters" : "'" + reference + "'";
            throw new IllegalArgumentException(field + " must be absent or 1-" + MAX_REFERENCE_LENGTH
                    + " characters that are not all blank, but was " + given);
        }
        return reference;
    }
}
