package dev.factline.account;

import dev.factline.eventsourcing.RuleViolation;

/** The rules an account command can break, with the stable codes clients see. */
public enum AccountRule implements RuleViolation {
    /** Anything but opening, on an account that was never opened. */
    ACCOUNT_NOT_OPEN("account-not-open"),
    /** Opening an account that was opened before (closed ones included). */
    ACCOUNT_ALREADY_OPEN("account-already-open"),
    /** Moving money in or out of, refunding to, or closing again, a closed account. */
    ACCOUNT_CLOSED("account-closed"),
    /** Money in another currency than the account's (or than the order was debited in). */
    CURRENCY_MISMATCH("currency-mismatch"),
    /** Withdrawing more than the balance. */
    INSUFFICIENT_FUNDS("insufficient-funds"),
    /** A deposit or refund the balance could not hold (past {@link Long#MAX_VALUE} minor units). */
    BALANCE_OVERFLOW("balance-overflow"),
    /** Closing an account that still holds money. */
    BALANCE_NOT_ZERO("balance-not-zero"),
    /** Debiting an order that was already paid from this account. */
    ORDER_ALREADY_DEBITED("order-already-debited"),
    /** Refunding an order this account never paid for. */
    ORDER_NOT_DEBITED("order-not-debited"),
    /** Refunding an order a second time. */
    ORDER_ALREADY_REFUNDED("order-already-refunded"),
    /** Refunding more than the order was debited. */
    REFUND_EXCEEDS_DEBIT("refund-exceeds-debit");

    private final String code;

    AccountRule(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean meansStreamMissing() {
        return this == ACCOUNT_NOT_OPEN;
    }
}
