package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.query.ViewTable.OrderPosition;
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
 * customer-orders index per page (more when a page's orders pass the 1 MB a Query reads), not
 * cached (the list changes with every order of the customer, and a page is one call already);
 * its {@code ETag} is weak, derived from its content. A customer is not a stream: one with no
 * orders is an empty list, not a 404.
 *
 * <p>The order is the index's: by the sort key the projector writes ({@code ViewRow.placedKey}),
 * which this class never reads. A cursor carries the last order's id and that key as they are,
 * to give back to DynamoDB, so the key's format can change without touching the query.
 */
final class CustomerOrderReads {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    /** Between a cursor's order id (which cannot hold it) and its placed key. */
    private static final char POSITION_SEPARATOR = '\n';

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
            OrderPosition after = token == null ? null : position(token, Cursor.decode(listing, token));
            return new Query(listing, trace -> read(customerId, after, limit, input.path(), trace));
        };
    }

    private Representation read(String customerId, @Nullable OrderPosition after, int limit, String path, QueryTrace trace) {
        ViewTable.OrdersPage page = table.customerOrders(customerId, after, limit);
        for (int query = 0; query < page.queries(); query++) {
            trace.tableRead();
        }
        ObjectNode body = HttpJson.object().put("customerId", customerId);
        ArrayNode orders = body.putArray("orders");
        // Each view goes out as the read table holds it, unparsed.
        page.views().forEach(view -> orders.addRawValue(new RawValue(view)));
        OrderPosition next = page.next();
        if (next != null) {
            String position = next.orderId() + POSITION_SEPARATOR + next.placedKey();
            body.put("next", path + "?after=" + Cursor.encode(listing(customerId), position) + "&limit=" + limit);
        }
        String json = HttpJson.write(body);
        return new Representation(json, EntityTags.weakOf(json), null);
    }

    private static String listing(String customerId) {
        return "customer#" + customerId + "/orders";
    }

    /** A cursor's position: {@code <orderId>\n<placedKey>}, the last order of a page and its key in the index. */
    private static OrderPosition position(String token, String position) {
        int separator = position.indexOf(POSITION_SEPARATOR);
        if (separator < 0) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
        try {
            return new OrderPosition(position.substring(0, separator), position.substring(separator + 1));
        } catch (IllegalArgumentException e) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
    }
}
