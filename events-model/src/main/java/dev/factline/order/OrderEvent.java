package dev.factline.order;

import dev.factline.money.Money;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to an order. Events are facts: their constructors check only that they are
 * whole, never business rules, so a stored event always decodes; the rules are
 * {@link OrderDecider#decide}'s.
 */
public sealed interface OrderEvent {

    /**
     * An order was placed; {@code total} is the sum of the lines' totals, in the order's currency.
     * Schema v2 added the delivery address, personal data of the customer that the store seals.
     */
    record OrderPlaced(String customerId, String accountId, List<OrderLine> lines, Money total, @Nullable String deliveryAddress)
            implements OrderEvent {

        public OrderPlaced {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(accountId, "accountId");
            lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
            Objects.requireNonNull(total, "total");
        }

        /** An order placed without a delivery address. */
        public OrderPlaced(String customerId, String accountId, List<OrderLine> lines, Money total) {
            this(customerId, accountId, lines, total, null);
        }
    }

    /** The order's total was paid. */
    record OrderPaid(Money amount) implements OrderEvent {

        public OrderPaid {
            Objects.requireNonNull(amount, "amount");
        }
    }

    /** A paid order left the warehouse. */
    record OrderShipped() implements OrderEvent {
    }

    /**
     * An order was cancelled before it shipped. {@code refund} is present exactly when the order
     * had been paid.
     */
    record OrderCancelled(String reason, @Nullable Refund refund) implements OrderEvent {

        public OrderCancelled {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
