package dev.factline.order;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPaid;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderEvent.OrderShipped;

/** The order aggregate as the kernel hosts it: streams {@code order#<id>}. */
public final class Orders {

    public static final String STREAM_TYPE = "order";

    /** The schema version {@link OrderPlaced} is written at: v2 added the delivery address. */
    public static final int ORDER_PLACED_SCHEMA_VERSION = 2;

    /** The stored names of the order events; the delivery address of a placed order is the customer's personal data. */
    public static final EventCodec<OrderEvent> EVENTS = EventCodec.builder(OrderEvent.class)
            .register("OrderPlaced", OrderPlaced.class, ORDER_PLACED_SCHEMA_VERSION)
            .upcaster("OrderPlaced", 1, Orders::orderPlacedV1ToV2)
            .personal("OrderPlaced", "customerId", "deliveryAddress")
            .register("OrderPaid", OrderPaid.class)
            .register("OrderShipped", OrderShipped.class)
            .register("OrderCancelled", OrderCancelled.class)
            .build();

    /** Bump when {@link OrderState}'s shape or meaning changes: older snapshots are then replayed past. */
    public static final int STATE_SCHEMA_VERSION = 1;

    public static final AggregateType<OrderCommand, OrderEvent, OrderState> TYPE = new AggregateType<>(
            STREAM_TYPE, new OrderDecider(), EVENTS, new StateCodec<>(OrderState.class, STATE_SCHEMA_VERSION));

    private Orders() {
    }

    /** {@code OrderPlaced} v1 to v2: adds the delivery address as {@code null}: orders placed before v2 had none. */
    static ObjectNode orderPlacedV1ToV2(ObjectNode payload) {
        if (payload.has("deliveryAddress")) {
            throw new IllegalArgumentException("a v1 OrderPlaced has no 'deliveryAddress', but got " + payload.get("deliveryAddress"));
        }
        return payload.putNull("deliveryAddress");
    }
}
