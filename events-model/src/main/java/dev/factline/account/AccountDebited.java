package dev.factline.account;

import dev.factline.money.Money;

/** The account paid for an order. */
public record AccountDebited(String orderId, Money amount) implements AccountEvent {

    public AccountDebited {
        Fields.required("orderId", orderId);
        Fields.required("amount", amount);
    }
}
