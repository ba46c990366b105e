package dev.factline.order;

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

    /** The stored names of the order events; each has had one shape so far (schema v1). */
    public static final EventCodec<OrderEvent> EVENTS = EventCodec.builder(OrderEvent.class)
            .register("OrderPlaced", OrderPlaced.class)
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
}
