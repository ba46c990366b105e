package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.CUSTOMER_ID;
import static dev.factline.functions.view.ReadTable.PARTITION_KEY;
import static dev.factline.functions.view.ReadTable.PLACED_KEY;
import static dev.factline.functions.view.ReadTable.VERSION;
import static dev.factline.functions.view.ReadTable.VIEW;

import dev.factline.eventsourcing.StreamId;
import dev.factline.order.OrderView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One stream's view as the read table and Redis hold it: the stream's id as the key, the stream
 * version it reflects, and the view as JSON, served to clients as it is stored.
 */
public record ViewRow(String key, long version, String json, @Nullable String customerId, @Nullable String placedKey) {

    public ViewRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(json, "json");
        if (version < 1) {
            throw new IllegalArgumentException("a view reflects version 1 or later, but " + key + " says " + version);
        }
    }

    /** The row of {@code view}, the view of {@code streamId}. */
    public static <V> ViewRow of(StreamId streamId, ReadModel<?, V> model, V view) {
        String customer = null;
        String placed = null;
        // The one view with an index of its own: a customer's orders, by when they were placed.
        if (view instanceof OrderView order) {
            customer = order.customerId();
            placed = placedKey(order.placedAt(), order.orderId());
        }
        return new ViewRow(streamId.toString(), model.versionOf(view), model.toJson(view), customer, placed);
    }

    /**
     * The customer-orders index's sort key: when the order was placed, fixed-width so that text
     * order is time order ({@code Instant.toString} drops trailing zeros of the fraction), then
     * its id, so two orders placed in the same nanosecond still sort, and differ.
     */
    public static String placedKey(Instant placedAt, String orderId) {
        return String.format("%019d", placedAt.getEpochSecond()) + "." + String.format("%09d", placedAt.getNano()) + "#" + orderId;
    }

    /** The read-table key of {@code streamId}'s view. */
    public static Map<String, AttributeValue> keyOf(String key) {
        return Map.of(PARTITION_KEY, AttributeValue.fromS(key));
    }

    public Map<String, AttributeValue> item() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(key));
        item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
        item.put(VIEW, AttributeValue.fromS(json));
        if (customerId != null && placedKey != null) {
            item.put(CUSTOMER_ID, AttributeValue.fromS(customerId));
            item.put(PLACED_KEY, AttributeValue.fromS(placedKey));
        }
        return item;
    }

    /** About the bytes DynamoDB counts for the row's item: its values in UTF-8, and a margin for names and numbers. */
    public long approximateSize() {
        long size = 100 + utf8Length(key) + utf8Length(json);
        if (customerId != null && placedKey != null) {
            size += utf8Length(customerId) + utf8Length(placedKey);
        }
        return size;
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** @throws IllegalStateException if the item is no view row */
    public static ViewRow fromItem(Map<String, AttributeValue> item) {
        AttributeValue key = item.get(PARTITION_KEY);
        AttributeValue version = item.get(VERSION);
        AttributeValue json = item.get(VIEW);
        if (key == null || key.s() == null || version == null || version.n() == null || json == null || json.s() == null) {
            throw new IllegalStateException("read table item " + (key == null ? "?" : key.s()) + " is no view row: it needs "
                    + PARTITION_KEY + ", " + VERSION + " and " + VIEW);
        }
        AttributeValue customer = item.get(CUSTOMER_ID);
        AttributeValue placed = item.get(PLACED_KEY);
        return new ViewRow(key.s(), Long.parseLong(version.n()), json.s(),
                customer == null ? null : customer.s(), placed == null ? null : placed.s());
    }
}
