package dev.factline.account;

import dev.factline.money.Money;

/**
 * The account could not pay for an order; nothing moved. A fact for the saga, which cancels the
 * order; the account's state does not change.
 */
public record DebitDeclined(String orderId, Money amount, DeclineReason reason) implements AccountEvent {

    public DebitDeclined {
        Fields.required("orderId", orderId);
        Fields.required("amount", amount);
        Fields.required("reason", reason);
    }
}
