package dev.factline.account;

import dev.factline.money.Money;
import org.jspecify.annotations.Nullable;

/** Pays money in; the optional reference (1-100 characters) is the customer's note. */
public record DepositMoney(Money amount, @Nullable String reference) implements AccountCommand {

    public DepositMoney {
        Fields.requirePositive("amount", amount);
        Fields.optionalReference("reference", reference);
    }

    public DepositMoney(Money amount) {
        this(amount, null);
    }
}
