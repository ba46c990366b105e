package dev.factline.account;

import dev.factline.money.Money;

public record MoneyWithdrawn(Money amount) implements AccountEvent {

    public MoneyWithdrawn {
        Fields.required("amount", amount);
    }
}
