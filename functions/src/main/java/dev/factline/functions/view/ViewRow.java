package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.LIST_KEY;
import static dev.factline.functions.view.ReadTable.LIST_POSITION;
import static dev.factline.functions.view.ReadTable.PARTITION_KEY;
import static dev.factline.functions.view.ReadTable.VERSION;
import static dev.factline.functions.view.ReadTable.VIEW;

import dev.factline.eventsourcing.Listing;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One stream's view as the read table and Redis hold it: its key ({@code <model>@<version>/<stream
 * id>}), the stream version it reflects, and the view as JSON, served to clients as it is stored;
 * for a listed model also the list it is in and its position there.
 */
public record ViewRow(String key, long version, String json, @Nullable String listKey, @Nullable String listPosition) {

    public ViewRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(json, "json");
        if (version < 1) {
            throw new IllegalArgumentException("a view reflects version 1 or later, but " + key + " says " + version);
        }
        if ((listKey == null) != (listPosition == null)) {
            throw new IllegalArgumentException("a listed view has both a list key and a position, but " + key + " has one");
        }
    }

    /** The row of {@code view}, {@code model}'s view of {@code streamId}. */
    public static <V> ViewRow of(StreamId streamId, StreamView<?, V> model, V view) {
        Listing<V> listing = model.listing();
        String listKey = listing == null ? null : listKey(model, listing, listing.owner().apply(view));
        String position = listing == null ? null : listing.position().apply(view);
        return new ViewRow(model.rowKey(streamId), model.versionOf(view), model.toJson(view), listKey, position);
    }

    /** The list key of {@code owner}'s list in {@code model}'s listing. */
    public static String listKey(StreamView<?, ?> model, Listing<?> listing, String owner) {
        return model.space() + "/" + listing.name() + "/" + owner;
    }

    /** The read-table key of the row at {@code key}. */
    public static Map<String, AttributeValue> keyOf(String key) {
        return Map.of(PARTITION_KEY, AttributeValue.fromS(key));
    }

    /** @throws IllegalStateException unless {@code item} has a key, a version and a view (its text, or a claim check) */
    public static void requireViewRow(Map<String, AttributeValue> item) {
        AttributeValue key = item.get(PARTITION_KEY);
        AttributeValue version = item.get(VERSION);
        AttributeValue view = item.get(VIEW);
        if (key == null || key.s() == null || version == null || version.n() == null || view == null || (view.s() == null && !view.hasM())) {
            throw new IllegalStateException("read table item " + (key == null ? "?" : key.s()) + " is no view row: it needs "
                    + PARTITION_KEY + ", " + VERSION + " and " + VIEW);
        }
    }

    /** The row as an item with its view inline; {@code ViewItems} writes a large view's claim instead. */
    public Map<String, AttributeValue> item() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(key));
        item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
        item.put(VIEW, AttributeValue.fromS(json));
        if (listKey != null && listPosition != null) {
            item.put(LIST_KEY, AttributeValue.fromS(listKey));
            item.put(LIST_POSITION, AttributeValue.fromS(listPosition));
        }
        return item;
    }

    /** About the bytes DynamoDB counts for the row's item: its values in UTF-8, and a margin for names and numbers. */
    public long approximateSize() {
        long size = 100 + utf8Length(key) + utf8Length(json);
        if (listKey != null && listPosition != null) {
            size += utf8Length(listKey) + utf8Length(listPosition);
        }
        return size;
    }

    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The row of an item whose view is inline (text); a claim-checked view's item is read through
     * {@code ViewItems}, which fetches its view.
     *
     * @throws IllegalStateException if the item is no view row, or holds a claim instead of its view
     */
    public static ViewRow fromItem(Map<String, AttributeValue> item) {
        requireViewRow(item);
        AttributeValue key = item.get(PARTITION_KEY);
        AttributeValue json = item.get(VIEW);
        if (json.s() == null) {
            throw new IllegalStateException("read table item " + key.s() + " holds a claim check in place of its view: read it through ViewItems");
        }
        AttributeValue version = item.get(VERSION);
        AttributeValue listKey = item.get(LIST_KEY);
        AttributeValue position = item.get(LIST_POSITION);
        return new ViewRow(key.s(), Long.parseLong(version.n()), json.s(),
                listKey == null ? null : listKey.s(), position == null ? null : position.s());
    }
}
