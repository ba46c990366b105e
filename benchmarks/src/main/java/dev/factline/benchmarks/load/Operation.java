package dev.factline.benchmarks.load;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a load worker can ask of the API. Each worker owns one account (opened and visible before
 * the measured part starts), so commands measure the write path without contention between workers.
 */
public enum Operation {
    /** Opens a new account: {@code POST /accounts}. */
    OPEN,
    /** Deposits 1.00 EUR into the worker's account: {@code POST /accounts/{id}/deposits}. */
    DEPOSIT,
    /** Reads the worker's account view: {@code GET /accounts/{id}} (LRU, Redis or the read table). */
    READ,
    /** Places a 1.00 EUR order paid from the worker's account (the saga pays it): {@code POST /orders}. */
    ORDER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operation named {@code label} ({@code deposit}, ...), or a message naming the ones there are. */
    public static Operation of(String label) {
        for (Operation operation : values()) {
            if (operation.label().equals(label)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("no operation '" + label + "'; the operations are "
                + String.join(", ", Arrays.stream(values()).map(Operation::label).toList()));
    }
}
