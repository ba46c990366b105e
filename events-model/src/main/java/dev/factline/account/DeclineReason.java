package dev.factline.account;

/** Why an account declined to pay for an order. Stored by name: rename none, add freely. */
public enum DeclineReason {
    INSUFFICIENT_FUNDS,
    ACCOUNT_CLOSED,
    CURRENCY_MISMATCH
}
