package dev.factline.catalogue;

import dev.factline.catalogue.ProductEvent.ProductCreated;
import dev.factline.catalogue.ProductEvent.ProductDescribed;
import dev.factline.catalogue.ProductEvent.ReservationReleased;
import dev.factline.catalogue.ProductEvent.StockAdded;
import dev.factline.catalogue.ProductEvent.StockReserved;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.eventsourcing.Uniqueness;
import java.util.Locale;
import java.util.Optional;

/** The product aggregate as the kernel hosts it: streams {@code product#<id>}. */
public final class Products {

    public static final String STREAM_TYPE = "product";

    /** The stored names of the product events; each has had one shape so far (schema v1). */
    public static final EventCodec<ProductEvent> EVENTS = EventCodec.builder(ProductEvent.class)
            .register("ProductCreated", ProductCreated.class)
            .register("ProductDescribed", ProductDescribed.class)
            .register("StockAdded", StockAdded.class)
            .register("StockReserved", StockReserved.class)
            .register("ReservationReleased", ReservationReleased.class)
            .build();

    /** Bump when {@link ProductState}'s shape or meaning changes: older snapshots are then replayed past. */
    public static final int STATE_SCHEMA_VERSION = 1;

    public static final AggregateType<ProductCommand, ProductEvent, ProductState> TYPE = new AggregateType<>(
            STREAM_TYPE, new ProductDecider(), EVENTS, new StateCodec<>(ProductState.class, STATE_SCHEMA_VERSION));

    /**
     * No two products share a SKU, whatever its letters' case ({@code abc-1} is {@code ABC-1}):
     * a product's creation claims its SKU, written in capitals.
     */
    public static final Uniqueness<ProductEvent> SKU = new Uniqueness<>("sku",
            event -> event instanceof ProductCreated created ? Optional.of(created.sku().toUpperCase(Locale.ROOT)) : Optional.empty());

    private Products() {
    }
}
