package dev.factline.order;

import dev.factline.eventsourcing.RuleViolation;

/** The rules an order command can break, with the codes clients see. */
public enum OrderRule implements RuleViolation {
    /** Pay, ship or cancel an order that was never placed. */
    ORDER_NOT_FOUND("order-not-found"),
    /** Place an order id that is already taken, whatever its status. */
    ORDER_ALREADY_PLACED("order-already-placed"),
    /** The lines add up to more minor units than a {@code long} holds. */
    ORDER_TOTAL_OVERFLOW("order-total-overflow"),
    /** Pay an order twice. */
    ORDER_ALREADY_PAID("order-already-paid"),
    /** Ship an order before it is paid. */
    ORDER_NOT_PAID("order-not-paid"),
    /** Pay, ship or cancel a cancelled order. */
    ORDER_CANCELLED("order-cancelled"),
    /** Pay, ship or cancel an order that has shipped. */
    ORDER_SHIPPED("order-shipped"),
    /** A payment whose amount or currency is not exactly the order's total. */
    PAYMENT_AMOUNT_MISMATCH("payment-amount-mismatch");

    private final String code;

    OrderRule(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean meansStreamMissing() {
        return this == ORDER_NOT_FOUND;
    }
}
