package dev.factline.catalogue;

import java.util.Objects;

/** What happened to a product. Records check presence only, so a tighter rule later cannot make stored events unreadable. */
public sealed interface ProductEvent {

    record ProductCreated(String sku, String name, int stock) implements ProductEvent {

        public ProductCreated {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The product's description, replacing any earlier one: up to
     * {@link ProductCommand#MAX_DESCRIPTION_BYTES}, so its payload is often claim-checked (stored in
     * the payload bucket, docs/decisions/claim-checks.md).
     */
    record ProductDescribed(String description) implements ProductEvent {

        public ProductDescribed {
            Objects.requireNonNull(description, "description");
        }
    }

    record StockAdded(int quantity) implements ProductEvent {
    }

    record StockReserved(String reservationId, int quantity) implements ProductEvent {

        public StockReserved {
            Objects.requireNonNull(reservationId, "reservationId");
        }
    }

    /** {@code quantity} is what the reservation held, so a reader needs no earlier event to know what came back. */
    record ReservationReleased(String reservationId, int quantity) implements ProductEvent {

        public ReservationReleased {
            Objects.requireNonNull(reservationId, "reservationId");
        }
    }
}
