package dev.factline.order;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.factline.money.Money;
import java.util.regex.Pattern;

/** One product in an order: how many of which SKU, at what price each. */
public record OrderLine(String sku, int quantity, @JsonIgnoreProperties({"zero", "positive"}) Money unitPrice) {

    public static final int MAX_QUANTITY = 10_000;

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public OrderLine {
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw new IllegalArgumentException("sku must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', but was "
                    + (sku == null ? "null" : "'" + sku + "'"));
        }
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("quantity must be 1-" + MAX_QUANTITY + ", but was " + quantity + " for sku '" + sku + "'");
        }
        if (unitPrice == null || !unitPrice.isPositive()) {
            throw new IllegalArgumentException("unitPrice must be positive, but was " + unitPrice + " for sku '" + sku + "'");
        }
    }

    /** @throws ArithmeticException if the line's total does not fit in a {@code long} */
    public Money lineTotal() {
        return unitPrice.times(quantity);
    }
}
