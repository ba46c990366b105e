package dev.factline.catalogue;

import dev.factline.eventsourcing.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What can be asked of a product. Constructors refuse malformed input with an
 * {@link IllegalArgumentException} naming the field; whether the product's state allows the
 * command is {@link ProductDecider}'s to say.
 */
public sealed interface ProductCommand {

    /** No product holds more units than this: sums of stock stay far inside an {@code int}. */
    int MAX_STOCK = 1_000_000_000;

    /** 1 MiB of UTF-8: a product page's long description, far past what an event or a view row holds inline. */
    int MAX_DESCRIPTION_BYTES = 1024 * 1024;

    /** A SKU as shelves print it: 1-64 ASCII letters, digits and {@code - _ .}, starting with a letter or digit. */
    Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Creates a product under a SKU no other product holds, with its first stock (which may be 0). */
    record CreateProduct(String sku, String name, int stock) implements ProductCommand {

        public CreateProduct {
            requireSku(sku);
            if (name == null || name.isBlank() || name.length() > 200) {
                throw new IllegalArgumentException("name must be 1-200 characters, not blank");
            }
            if (stock < 0 || stock > MAX_STOCK) {
                throw new IllegalArgumentException("stock must be 0-" + MAX_STOCK + ", but was " + stock);
            }
        }
    }

    /** Gives the product its description (text, up to {@link #MAX_DESCRIPTION_BYTES} in UTF-8), replacing any earlier one. */
    record DescribeProduct(String description) implements ProductCommand {

        public DescribeProduct {
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("description must not be blank");
            }
            int bytes = description.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_DESCRIPTION_BYTES) {
                throw new IllegalArgumentException("description must be at most " + MAX_DESCRIPTION_BYTES + " bytes of UTF-8, but was " + bytes);
            }
        }
    }

    /** Units arrived. */
    record AddStock(int quantity) implements ProductCommand {

        public AddStock {
            requireQuantity(quantity);
        }
    }

    /** Holds {@code quantity} units under {@code reservationId} (an order's id, say) until released. */
    record ReserveStock(String reservationId, int quantity) implements ProductCommand {

        public ReserveStock {
            StreamId.requireId("reservationId", reservationId);
            requireQuantity(quantity);
        }
    }

    /** Gives a reservation's units back to the stock. */
    record ReleaseReservation(String reservationId) implements ProductCommand {

        public ReleaseReservation {
            StreamId.requireId("reservationId", reservationId);
        }
    }

    /** {@code sku} if it is one; an {@link IllegalArgumentException} naming the field otherwise. */
    static String requireSku(String sku) {
        if (sku == null || !SKU.matcher(sku).matches()) {
            throw new IllegalArgumentException("sku must be 1-64 ASCII letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return sku;
    }

    private static void requireQuantity(int quantity) {
        if (quantity < 1 || quantity > MAX_STOCK) {
            throw new IllegalArgumentException("quantity must be 1-" + MAX_STOCK + ", but was " + quantity);
        }
    }
}
