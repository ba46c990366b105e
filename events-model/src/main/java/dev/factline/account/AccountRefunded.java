package dev.factline.account;

import dev.factline.money.Money;

/** Money given back for a paid order that was cancelled. */
public record AccountRefunded(String orderId, Money amount) implements AccountEvent {

    public AccountRefunded {
        Fields.required("orderId", orderId);
        Fields.required("amount", amount);
    }
}
