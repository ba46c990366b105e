package dev.factline.order;

import dev.factline.money.Money;
import java.util.Objects;

/**
 * What a cancelled paid order gives back, and to which account: the order-payment saga credits
 * it from this alone, so its logic stays a function of the event.
 */
public record Refund(String accountId, Money amount) {

    public Refund {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(amount, "amount");
    }
}
