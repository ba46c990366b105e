package dev.factline.catalogue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A product as its events leave it; snapshots store it as JSON tagged with {@code "status"}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "status")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProductState.NotCreated.class, name = "NOT_CREATED"),
    @JsonSubTypes.Type(value = ProductState.Listed.class, name = "LISTED")
})
public sealed interface ProductState {

    record NotCreated() implements ProductState {
    }

    /**
     * A product with {@code onHand} units, of which {@code reservations} hold some, by reservation id.
     * What can still be reserved is {@link #available()}.
     */
    record Listed(String sku, String name, int onHand, Map<String, Integer> reservations) implements ProductState {

        public Listed {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(name, "name");
            reservations = Map.copyOf(reservations);
        }

        public int reserved() {
            return reservations.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int available() {
            return onHand - reserved();
        }

        Listed withOnHand(int units) {
            return new Listed(sku, name, units, reservations);
        }

        Listed withReservation(String reservationId, int quantity) {
            Map<String, Integer> held = new HashMap<>(reservations);
            held.put(reservationId, quantity);
            return new Listed(sku, name, onHand, held);
        }

        Listed withoutReservation(String reservationId) {
            Map<String, Integer> held = new HashMap<>(reservations);
            held.remove(reservationId);
            return new Listed(sku, name, onHand, held);
        }
    }
}
