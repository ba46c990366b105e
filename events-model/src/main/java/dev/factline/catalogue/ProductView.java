package dev.factline.catalogue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.factline.catalogue.ProductEvent.ProductCreated;
import dev.factline.catalogue.ProductEvent.ProductDescribed;
import dev.factline.catalogue.ProductEvent.ReservationReleased;
import dev.factline.catalogue.ProductEvent.StockAdded;
import dev.factline.catalogue.ProductEvent.StockReserved;
import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A product as a shop reads it: its SKU, name and description (absent until one is given), the units on hand, how many of them
 * reservations hold (and how many reservations), what can still be reserved, and the version of
 * the product's stream the view reflects. Counts only: a product's reservations can be many. A
 * description of up to 1 MiB makes the view large; its read-table row then holds a claim check and
 * the view lives in the payload bucket (docs/decisions/claim-checks.md).
 */
@JsonIgnoreProperties(value = "available", allowGetters = true)
public record ProductView(
        String productId,
        String sku,
        String name,
        @Nullable String description,
        int onHand,
        int reserved,
        int reservations,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public ProductView {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** What can still be reserved: answered with the view, never read back. */
    @JsonProperty("available")
    public int available() {
        return onHand - reserved;
    }

    /** The product view's fold. */
    public static final Projection<ProductEvent, ProductView> PROJECTION = new Projection<>() {
        @Override
        public ProductView apply(@Nullable ProductView current, StreamId streamId, long version, Instant occurredAt, ProductEvent event) {
            if (current == null) {
                if (event instanceof ProductCreated created) {
                    return new ProductView(streamId.id(), created.sku(), created.name(), null, created.stock(), 0, 0, version, occurredAt,
                            occurredAt);
                }
                throw new IllegalStateException(streamId + " begins with " + event.getClass().getSimpleName() + " at version "
                        + version + ", not with ProductCreated");
            }
            return switch (event) {
                case ProductCreated created -> throw new IllegalStateException(streamId + " is created again at version " + version);
                case ProductDescribed described -> new ProductView(current.productId, current.sku, current.name, described.description(),
                        current.onHand, current.reserved, current.reservations, version, current.createdAt, occurredAt);
                case StockAdded added -> current.moved(current.onHand + added.quantity(), current.reserved, current.reservations, version, occurredAt);
                case StockReserved held -> current.moved(current.onHand, current.reserved + held.quantity(), current.reservations + 1, version, occurredAt);
                case ReservationReleased released ->
                        current.moved(current.onHand, current.reserved - released.quantity(), current.reservations - 1, version, occurredAt);
            };
        }

        @Override
        public long versionOf(ProductView view) {
            return view.version();
        }
    };

    /**
     * Products as shops read them, written inline: a reservation is answered, then read, by shops
     * deciding what to offer next, so the view must show it at once.
     */
    public static final StreamView<ProductEvent, ProductView> MODEL =
            StreamView.of("product-view", 1, Products.STREAM_TYPE, Products.EVENTS, PROJECTION, ProductView.class).writtenInline();

    private ProductView moved(int units, int held, int count, long atVersion, Instant at) {
        return new ProductView(productId, sku, name, description, units, held, count, atVersion, createdAt, at);
    }
}
