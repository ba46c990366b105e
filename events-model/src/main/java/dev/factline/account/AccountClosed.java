package dev.factline.account;

public record AccountClosed() implements AccountEvent {
}
