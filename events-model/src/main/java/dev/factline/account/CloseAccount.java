package dev.factline.account;

/** Closes an empty account for good. */
public record CloseAccount() implements AccountCommand {
}
