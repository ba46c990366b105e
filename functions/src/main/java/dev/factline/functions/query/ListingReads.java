package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factline.eventsourcing.Listing;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.query.ViewTable.ListPosition;
import dev.factline.functions.view.ViewRow;
import java.util.Objects;

/**
 * A listing's route ({@code GET /customers/{id}/orders?after=<cursor>&limit=<1..100>}): an
 * owner's views in the listing's order, a page at a time, each as its view:
 *
 * <pre>
 * {"customerId": "c-1", "orders": [{...order view...}, ...], "next": "/customers/c-1/orders?after=...&amp;limit=50"}
 * </pre>
 *
 * {@code next} is there exactly when more follow. One Query of the read table's listings index
 * per page (more when a page's views pass the 1 MB a Query reads), not cached (the list changes
 * with every view of the owner, and a page is one call already); its {@code ETag} is weak,
 * derived from its content. An owner is not a stream: one with nothing listed is an empty list,
 * not a 404.
 *
 * <p>The order is the index's: by the position the projector writes, which this class never
 * reads. A cursor carries the last view's key and position as they are, to give back to
 * DynamoDB, so the position's format can change without touching the query.
 */
final class ListingReads {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    /** Between a cursor's row key (which cannot hold it) and its position. */
    private static final char POSITION_SEPARATOR = '\n';

    private final ServedReadModels served;
    private final ViewTable table;

    ListingReads(ServedReadModels served, ViewTable table) {
        this.served = Objects.requireNonNull(served, "served");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * The route of {@code model}'s listing; the answer names the owner {@code ownerField} and the
     * views {@code itemsField}.
     */
    QueryRoute route(StreamView<?, ?> declared, String ownerField, String itemsField) {
        Objects.requireNonNull(declared.listing(), () -> declared.space() + " has no listing");
        return input -> {
            StreamView<?, ?> model = served.view(declared);
            Listing<?> listing = Objects.requireNonNull(model.listing(), () -> model.space() + " has no listing");
            String owner = input.pathId();
            QueryParameters parameters = QueryParameters.of(input.query(), "after", "limit");
            int limit = parameters.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
            String listKey = ViewRow.listKey(model, listing, owner);
            String token = parameters.text("after");
            ListPosition after = token == null ? null : position(model, token, Cursor.decode(listKey, token));
            return new Query(listKey, trace -> {
                ViewTable.ListPage page = table.listed(listKey, after, limit);
                for (int query = 0; query < page.queries(); query++) {
                    trace.tableRead();
                }
                return representation(page, listKey, owner, ownerField, itemsField, limit, input.path());
            });
        };
    }

    private static Representation representation(ViewTable.ListPage page, String listKey, String owner, String ownerField,
            String itemsField, int limit, String path) {
        ObjectNode body = HttpJson.object().put(ownerField, owner);
        ArrayNode items = body.putArray(itemsField);
        // Each view goes out as the read table holds it, unparsed.
        page.views().forEach(view -> items.addRawValue(new RawValue(view)));
        ListPosition next = page.next();
        if (next != null) {
            body.put("next", path + "?after=" + cursor(listKey, next) + "&limit=" + limit);
        }
        String json = HttpJson.write(body);
        return new Representation(json, EntityTags.weakOf(json), null);
    }

    /** The cursor of a page that follows {@code next} in the list at {@code listKey}. */
    static String cursor(String listKey, ListPosition next) {
        return Cursor.encode(listKey, next.rowKey() + POSITION_SEPARATOR + next.position());
    }

    /** A cursor's position: {@code <row key>\n<position>}, the last view of a page and its place in the index. */
    static ListPosition position(StreamView<?, ?> model, String token, String position) {
        int separator = position.indexOf(POSITION_SEPARATOR);
        if (separator < 0) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
        try {
            String rowKey = position.substring(0, separator);
            model.streamOf(rowKey);
            return new ListPosition(rowKey, position.substring(separator + 1));
        } catch (IllegalArgumentException e) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
    }
}
