package dev.factline.account;

import dev.factline.eventsourcing.StreamId;
import java.util.Currency;
import org.jspecify.annotations.Nullable;

/**
 * Opens the account for its owner, in the one currency it will ever hold, with the holder's name
 * and email if given (1-200 characters each; an email has one '@' with text either side).
 */
public record OpenAccount(String ownerId, Currency currency, @Nullable String holderName, @Nullable String holderEmail)
        implements AccountCommand {

    static final int MAX_PERSONAL_LENGTH = 200;

    public OpenAccount {
        StreamId.requireId("ownerId", ownerId);
        Fields.required("currency", currency);
        Fields.optionalText("holderName", holderName, MAX_PERSONAL_LENGTH);
        Fields.optionalText("holderEmail", holderEmail, MAX_PERSONAL_LENGTH);
        if (holderEmail != null && !holderEmail.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("holderEmail must be one address, name@domain, but was '" + holderEmail + "'");
        }
    }

    /** Opens an account without the holder's name or email. */
    public OpenAccount(String ownerId, Currency currency) {
        this(ownerId, currency, null, null);
    }
}
