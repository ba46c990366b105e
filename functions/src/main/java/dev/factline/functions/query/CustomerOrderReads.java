package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /customers/{id}/orders?after=<cursor>&limit=<1..100>}: a customer's orders, oldest
 * first, a page at a time, each as its order view:
 *
 * <pre>
 * {"customerId": "c-1", "orders": [{...order view...}, ...], "next": "/customers/c-1/orders?after=...&amp;limit=50"}
 * </pre>
 *
 * {@code next} is there exactly when more orders follow. One Query of the read table's
 * customer-orders index per page, not cached (the list changes with every order of the
 * customer, and a page is one call already); its {@code ETag} is weak, derived from its content.
 * A customer is not a stream: one with no orders is an empty list, not a 404.
 */
final class CustomerOrderReads {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private final ViewTable table;

    CustomerOrderReads(ViewTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    QueryRoute route() {
        return input -> {
            String customerId = input.pathId();
            QueryParameters parameters = QueryParameters.of(input.query(), "after", "limit");
            int limit = parameters.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
            String listing = listing(customerId);
            String token = parameters.text("after");
            String after = token == null ? null : placedKey(token, Cursor.decode(listing, token));
            return new Query(listing, trace -> read(customerId, after, limit, input.path(), trace));
        };
    }

    private Representation read(String customerId, @Nullable String after, int limit, String path, QueryTrace trace) {
        ViewTable.OrdersPage page = table.customerOrders(customerId, after, limit);
        trace.tableRead();
        ObjectNode body = HttpJson.object().put("customerId", customerId);
        ArrayNode orders = body.putArray("orders");
        // Each view goes out as the read table holds it, unparsed.
        page.views().forEach(view -> orders.addRawValue(new RawValue(view)));
        if (page.lastPlacedKey() != null) {
            body.put("next", path + "?after=" + Cursor.encode(listing(customerId), page.lastPlacedKey()) + "&limit=" + limit);
        }
        String json = HttpJson.write(body);
        return new Representation(json, EntityTags.weakOf(json), null);
    }

    private static String listing(String customerId) {
        return "customer#" + customerId + "/orders";
    }

    /** A cursor's position: {@code <placedAt>#<orderId>}, the index's sort key of the last order of a page. */
    private static String placedKey(String token, String position) {
        int separator = position.indexOf('#');
        if (separator < 0) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
        try {
            Instant.parse(position.substring(0, separator));
            StreamId.requireId("order id", position.substring(separator + 1));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
        return position;
    }
}
