package dev.factline.catalogue;

import dev.factline.eventsourcing.RuleViolation;

/** The rules a product command can break, with the codes clients see. */
public enum ProductRule implements RuleViolation {
    /** Add stock to, reserve or release from a product never created. */
    PRODUCT_NOT_FOUND("product-not-found"),
    /** Create a product id that is already taken. */
    PRODUCT_ALREADY_CREATED("product-already-created"),
    /** Reserve more than the stock not yet reserved. */
    INSUFFICIENT_STOCK("insufficient-stock"),
    /** Add stock past {@link ProductCommand#MAX_STOCK}. */
    STOCK_LIMIT_EXCEEDED("stock-limit-exceeded"),
    /** Reserve under an id already holding a reservation. */
    RESERVATION_ALREADY_HELD("reservation-already-held"),
    /** Release a reservation the product does not hold. */
    RESERVATION_NOT_FOUND("reservation-not-found");

    private final String code;

    ProductRule(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean meansStreamMissing() {
        return this == PRODUCT_NOT_FOUND;
    }
}
