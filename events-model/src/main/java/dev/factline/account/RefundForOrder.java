package dev.factline.account;

import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;

/** Gives back (part of) what an order was debited, once, when the paid order is cancelled. */
public record RefundForOrder(String orderId, Money amount) implements AccountCommand {

    public RefundForOrder {
        StreamId.requireId("orderId", orderId);
        Fields.requirePositive("amount", amount);
    }
}
