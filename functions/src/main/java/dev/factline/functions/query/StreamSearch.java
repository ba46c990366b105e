package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factline.eventsourcing.Listing;
import dev.factline.eventsourcing.StreamEntry;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.domain.Domains;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.query.ViewTable.ListPosition;
import dev.factline.functions.view.ViewRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /streams?type=<stream type>&prefix=<id prefix>&after=<cursor>&limit=<1..100>}: the
 * streams of one aggregate type (the first hosted one without {@code type}) whose id starts with
 * the prefix (all without one), most recently
 * changed first, with how many each hosted type has that match and where each type's streams are
 * resources (a stream {@code account#a-1} is {@code /accounts/a-1}, its history {@code /accounts/a-1/events}):
 *
 * <pre>
 * {"type": "account", "prefix": "a-", "counts": {"account": 2, "order": 0, "product": 0},
 *  "resources": {"account": "/accounts", "order": "/orders", "product": "/products"},
 *  "streams": [{"streamId": "account#a-2", "id": "a-2", "version": 3, "lastEventType", "startedAt", "updatedAt"}, ...],
 *  "next": "/streams?type=account&amp;prefix=a-&amp;after=...&amp;limit=20"}
 * </pre>
 *
 * Read from each type's {@link StreamEntry#catalogue catalogue} through the listings index: a
 * Query for the page and, per type, counting Queries. A prefix is a filter on the row key, so a
 * search reads (and pays for) the whole list of the type in the worst case: a tool for people
 * looking at a system, not a route for an application's hot path. Not cached; the {@code ETag} is
 * weak, derived from the content.
 */
final class StreamSearch {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final ServedReadModels served;
    private final ViewTable table;

    StreamSearch(ServedReadModels served, ViewTable table) {
        this.served = Objects.requireNonNull(served, "served");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The route over {@code catalogues}, one per hosted stream type, whose resources are at {@code resources}. */
    QueryRoute route(List<StreamView<?, StreamEntry>> catalogues, Map<String, String> resources) {
        return input -> {
            QueryParameters parameters = QueryParameters.of(input.query(), "type", "prefix", "after", "limit");
            StreamView<?, ?> catalogue = served.view(catalogueOf(catalogues, parameters.text("type")));
            String prefix = prefix(parameters.text("prefix"));
            int limit = parameters.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
            String listKey = listKey(catalogue);
            String token = parameters.text("after");
            ListPosition after = token == null ? null : ListingReads.position(catalogue, token, Cursor.decode(listKey, token));
            return new Query(listKey, trace -> {
                ViewTable.ListPage page = table.listed(listKey, rowKeyPrefix(catalogue, prefix), after, limit);
                for (int query = 0; query < page.queries(); query++) {
                    trace.tableRead();
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                for (StreamView<?, StreamEntry> declared : catalogues) {
                    StreamView<?, ?> each = served.view(declared);
                    ViewTable.ListCount count = table.count(listKey(each), rowKeyPrefix(each, prefix));
                    for (int query = 0; query < count.queries(); query++) {
                        trace.tableRead();
                    }
                    counts.put(each.streamType(), count.count());
                }
                Map<String, String> paths = new LinkedHashMap<>();
                catalogues.forEach(each -> paths.put(each.streamType(), resources.get(each.streamType())));
                return representation(catalogue.streamType(), prefix, counts, paths, page, listKey, limit);
            });
        };
    }

    private static StreamView<?, StreamEntry> catalogueOf(List<StreamView<?, StreamEntry>> catalogues, @Nullable String type) {
        List<String> types = catalogues.stream().map(StreamView::streamType).toList();
        if (type == null) {
            return catalogues.getFirst();
        }
        return catalogues.stream().filter(catalogue -> catalogue.streamType().equals(type)).findFirst()
                .orElseThrow(() -> QueryParameters.refused("type", type, "one of " + String.join(", ", types)));
    }

    /** A prefix of a stream's id: the start of one (its characters, at most its length); null without one. */
    private static @Nullable String prefix(@Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return StreamId.requireId("prefix", value);
        } catch (IllegalArgumentException notAnId) {
            throw QueryParameters.refused("prefix", value, "the start of a stream id: 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' "
                    + "or '-', starting with a letter or digit");
        }
    }

    private static String listKey(StreamView<?, ?> catalogue) {
        Listing<?> listing = Objects.requireNonNull(catalogue.listing(), () -> catalogue.space() + " has no listing");
        return ViewRow.listKey(catalogue, listing, StreamEntry.ALL);
    }

    private static @Nullable String rowKeyPrefix(StreamView<?, ?> catalogue, @Nullable String prefix) {
        return prefix == null ? null : catalogue.space() + "/" + catalogue.streamType() + "#" + prefix;
    }

    private static Representation representation(String type, @Nullable String prefix, Map<String, Long> counts,
            Map<String, String> resources, ViewTable.ListPage page, String listKey, int limit) {
        ObjectNode body = HttpJson.object().put("type", type);
        if (prefix != null) {
            body.put("prefix", prefix);
        }
        ObjectNode countsJson = body.putObject("counts");
        counts.forEach(countsJson::put);
        ObjectNode resourcesJson = body.putObject("resources");
        resources.forEach(resourcesJson::put);
        ArrayNode streams = body.putArray("streams");
        page.views().forEach(view -> streams.addRawValue(new RawValue(view)));
        ListPosition next = page.next();
        if (next != null) {
            body.put("next", Domains.STREAMS_PATH + "?type=" + type + (prefix == null ? "" : "&prefix=" + prefix) + "&after="
                    + ListingReads.cursor(listKey, next) + "&limit=" + limit);
        }
        String json = HttpJson.write(body);
        return new Representation(json, EntityTags.weakOf(json), null);
    }
}
