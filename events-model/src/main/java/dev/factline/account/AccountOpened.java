package dev.factline.account;

import java.util.Currency;

public record AccountOpened(String ownerId, Currency currency) implements AccountEvent {

    public AccountOpened {
        Fields.required("ownerId", ownerId);
        Fields.required("currency", currency);
    }
}
