package dev.factline.order;

/** Where a placed order stands, for read models and messages. */
public enum OrderStatus {
    PLACED,
    PAID,
    SHIPPED,
    CANCELLED
}
