package dev.factline.money;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount in minor units (cents for EUR, yen for JPY) of one currency. Never negative; sums
 * that would overflow a {@code long} are refused rather than wrapped.
 */
public record Money(long minorUnits, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (minorUnits < 0) {
            throw new IllegalArgumentException("money is never negative, but got " + minorUnits + " " + currency);
        }
    }

    public static Money of(long minorUnits, String currencyCode) {
        return new Money(minorUnits, currency(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /** The ISO 4217 currency with this code, or an error naming the code. */
    public static Currency currency(String code) {
        try {
            return Currency.getInstance(Objects.requireNonNull(code, "currency"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency code", e);
        }
    }

    public boolean isZero() {
        return minorUnits == 0;
    }

    public boolean isPositive() {
        return minorUnits > 0;
    }

    public boolean isLessThan(Money other) {
        requireSameCurrency(other);
        return minorUnits < other.minorUnits;
    }

    /** @throws ArithmeticException if the sum does not fit in a {@code long} */
    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    /** @throws IllegalArgumentException if the result would be negative */
    public Money minus(Money other) {
        requireSameCurrency(other);
        if (other.minorUnits > minorUnits) {
            throw new IllegalArgumentException("cannot subtract " + other + " from " + this + ": money is never negative");
        }
        return new Money(minorUnits - other.minorUnits, currency);
    }

    /** @throws ArithmeticException if the product does not fit in a {@code long} */
    public Money times(int quantity) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must not be negative, but was " + quantity);
        }
        return new Money(Math.multiplyExact(minorUnits, quantity), currency);
    }

    public boolean hasCurrency(Currency other) {
        return currency.equals(other);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + this + " with " + other + ": currencies differ");
        }
    }

    @Override
    public String toString() {
        return minorUnits + " " + currency.getCurrencyCode() + " (minor units)";
    }
}
