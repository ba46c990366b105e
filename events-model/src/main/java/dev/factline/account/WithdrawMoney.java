package dev.factline.account;

import dev.factline.money.Money;

/** Takes money out; never more than the balance. */
public record WithdrawMoney(Money amount) implements AccountCommand {

    public WithdrawMoney {
        Fields.requirePositive("amount", amount);
    }
}
