package dev.factline.account;

import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;

/**
 * Pays for an order, sent by the order-payment saga. An account that cannot pay records a
 * {@link DebitDeclined} rather than refusing, so the saga learns why.
 */
public record DebitForOrder(String orderId, Money amount) implements AccountCommand {

    public DebitForOrder {
        StreamId.requireId("orderId", orderId);
        Fields.requirePositive("amount", amount);
    }
}
