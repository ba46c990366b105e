package dev.factline.order;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.factline.money.Money;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An order as its events leave it. {@link NotPlaced} is the initial state; every other state
 * carries the {@link OrderDetails} it was placed with. Snapshots store it as JSON tagged with
 * {@code "status"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
@JsonSubTypes({
    @JsonSubTypes.Type(value = OrderState.NotPlaced.class, name = "NOT_PLACED"),
    @JsonSubTypes.Type(value = OrderState.Placed.class, name = "PLACED"),
    @JsonSubTypes.Type(value = OrderState.Paid.class, name = "PAID"),
    @JsonSubTypes.Type(value = OrderState.Shipped.class, name = "SHIPPED"),
    @JsonSubTypes.Type(value = OrderState.Cancelled.class, name = "CANCELLED")
})
public sealed interface OrderState {

    /** No order has been placed on this stream yet. */
    record NotPlaced() implements OrderState {
    }

    /** An order that has been placed, whatever happened to it since. */
    sealed interface Existing extends OrderState {

        OrderDetails order();

        OrderStatus status();
    }

    /** Placed and awaiting payment of its total. */
    record Placed(OrderDetails order) implements Existing {

        public Placed {
            Objects.requireNonNull(order, "order");
        }

        @Override
        public OrderStatus status() {
            return OrderStatus.PLACED;
        }
    }

    /** Paid {@code amountPaid} (the total), awaiting shipment. */
    record Paid(OrderDetails order, Money amountPaid) implements Existing {

        public Paid {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(amountPaid, "amountPaid");
        }

        @Override
        public OrderStatus status() {
            return OrderStatus.PAID;
        }
    }

    /** Shipped: final. */
    record Shipped(OrderDetails order) implements Existing {

        public Shipped {
            Objects.requireNonNull(order, "order");
        }

        @Override
        public OrderStatus status() {
            return OrderStatus.SHIPPED;
        }
    }

    /** Cancelled before shipping, refunded when it had been paid: final. */
    record Cancelled(OrderDetails order, String reason, @Nullable Refund refund) implements Existing {

        public Cancelled {
            Objects.requireNonNull(order, "order");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public OrderStatus status() {
            return OrderStatus.CANCELLED;
        }
    }
}
