package dev.factline.account;

import dev.factline.money.Money;
import org.jspecify.annotations.Nullable;

/**
 * Money paid in. Schema v3; {@link AccountUpcasters} lifts the older shapes:
 *
 * <ul>
 *   <li>v1 {@code {"amount": 1250, "currency": "EUR"}}: a flat amount in minor units
 *   <li>v2 {@code {"amount": {"minorUnits": 1250, "currency": "EUR"}}}: the amount as {@code Money}
 *   <li>v3 adds {@code "reference"}, the customer's note; {@code null} for deposits made before it existed
 * </ul>
 */
public record MoneyDeposited(Money amount, @Nullable String reference) implements AccountEvent {

    public MoneyDeposited {
        Fields.required("amount", amount);
    }
}
