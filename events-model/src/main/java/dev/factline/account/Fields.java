package dev.factline.account;

import dev.factline.money.Money;
import dev.factline.personal.SealedText;
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
        return optionalText(field, reference, MAX_REFERENCE_LENGTH);
    }

    /** Free text: absent, or 1-{@code maxLength} characters that are not all blank and do not pass for sealed personal data. */
    static @Nullable String optionalText(String field, @Nullable String text, int maxLength) {
        if (text != null && (text.isBlank() || text.length() > maxLength)) {
            String given = text.length() > maxLength ? text.length() + " characters" : "'" + text + "'";
            throw new IllegalArgumentException(field + " must be absent or 1-" + maxLength
                    + " characters that are not all blank, but was " + given);
        }
        return text == null ? null : SealedText.requireNotSealed(field, text);
    }
}
