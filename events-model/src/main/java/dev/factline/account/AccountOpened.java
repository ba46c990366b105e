package dev.factline.account;

import java.util.Currency;
import org.jspecify.annotations.Nullable;

/**
 * The account was opened for its owner. Schema v2 added the holder's name and email, personal data
 * of the owner that the store seals ({@link Accounts}); v1 accounts have neither.
 */
public record AccountOpened(String ownerId, Currency currency, @Nullable String holderName, @Nullable String holderEmail)
        implements AccountEvent {

    public AccountOpened {
        Fields.required("ownerId", ownerId);
        Fields.required("currency", currency);
    }

    /** An account opened without the holder's name or email. */
    public AccountOpened(String ownerId, Currency currency) {
        this(ownerId, currency, null, null);
    }
}
