package dev.factline.order;

import dev.factline.eventsourcing.Listing;
import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.money.Money;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPaid;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderEvent.OrderShipped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An order as its customer reads it: what was ordered, where it stands (placed, paid, shipped,
 * cancelled and why), where it goes (the delivery address, sealed as the event holds it), and the
 * version of the order's stream the view reflects.
 */
public record OrderView(
        String orderId,
        String customerId,
        String accountId,
        OrderStatus status,
        List<OrderLine> lines,
        Money total,
        @Nullable String cancellationReason,
        @Nullable Refund refund,
        @Nullable String deliveryAddress,
        long version,
        Instant placedAt,
        Instant updatedAt) {

    public OrderView {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(status, "status");
        lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(placedAt, "placedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The order view's fold. */
    public static final Projection<OrderEvent, OrderView> PROJECTION = new Projection<>() {
        @Override
        public OrderView apply(@Nullable OrderView current, StreamId streamId, long version, Instant occurredAt, OrderEvent event) {
            if (current == null) {
                if (event instanceof OrderPlaced placed) {
                    return new OrderView(streamId.id(), placed.customerId(), placed.accountId(), OrderStatus.PLACED, placed.lines(),
                            placed.total(), null, null, placed.deliveryAddress(), version, occurredAt, occurredAt);
                }
                throw new IllegalStateException(streamId + " begins with " + event.getClass().getSimpleName() + " at version "
                        + version + ", not with OrderPlaced");
            }
            return switch (event) {
                case OrderPlaced placed -> throw new IllegalStateException(streamId + " is placed again at version " + version);
                case OrderPaid paid -> current.moved(OrderStatus.PAID, null, null, version, occurredAt);
                case OrderShipped shipped -> current.moved(OrderStatus.SHIPPED, null, null, version, occurredAt);
                case OrderCancelled cancelled -> current.moved(OrderStatus.CANCELLED, cancelled.reason(), cancelled.refund(), version, occurredAt);
            };
        }

        @Override
        public long versionOf(OrderView view) {
            return view.version();
        }
    };

    /** Orders as their customers read them, cached in Redis, and listed per customer, oldest first. */
    public static final StreamView<OrderEvent, OrderView> MODEL =
            StreamView.of("order-view", 1, Orders.STREAM_TYPE, Orders.EVENTS, PROJECTION, OrderView.class)
                    .cachedInRedis()
                    .listedBy(new Listing<>("customer-orders", OrderView::customerId, OrderView::placedPosition));

    /**
     * Where an order sorts among its customer's: when it was placed, fixed-width so that text order
     * is time order ({@code Instant.toString} drops trailing zeros of the fraction), then its id, so
     * two orders placed in the same nanosecond still sort, and differ.
     */
    public static String placedPosition(OrderView order) {
        Instant placed = order.placedAt();
        return String.format("%019d", placed.getEpochSecond()) + "." + String.format("%09d", placed.getNano()) + "#" + order.orderId();
    }

    private OrderView moved(OrderStatus newStatus, @Nullable String reason, @Nullable Refund givenBack, long newVersion, Instant at) {
        return new OrderView(orderId, customerId, accountId, newStatus, lines, total, reason, givenBack, deliveryAddress, newVersion, placedAt, at);
    }
}
