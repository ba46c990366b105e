package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.order.OrderStatus;
import dev.factline.order.OrderTally;
import java.util.Comparator;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /dashboard}: orders counted per status, with their totals per currency in minor
 * units, every status present (zeros included):
 *
 * <pre>
 * {"statuses": {"PLACED": {"orders": 3, "totals": {"EUR": 1200}}, "PAID": {"orders": 0, "totals": {}}, ...}}
 * </pre>
 *
 * Summed from the read table's shard rows (one BatchGetItem) and kept in the container's LRU
 * only: it has no version of its own to guard a Redis entry with, and a dashboard a second old
 * is what a dashboard is. Its {@code ETag} is weak, derived from its content.
 */
final class DashboardReads {

    private static final String KEY = "dashboard";

    private final TimedLru<String, Representation> recent;
    private final ViewTable table;

    DashboardReads(TimedLru<String, Representation> recent, ViewTable table) {
        this.recent = Objects.requireNonNull(recent, "recent");
        this.table = Objects.requireNonNull(table, "table");
    }

    QueryRoute route() {
        return input -> {
            QueryParameters.of(input.query());
            return new Query(KEY, this::read);
        };
    }

    Representation read(QueryTrace trace) {
        Optional<Representation> cached = recent.get(KEY);
        if (cached.isPresent()) {
            trace.lruHit();
            return cached.get();
        }
        OrderTally tally = table.dashboard();
        trace.tableRead();
        String json = HttpJson.write(json(tally));
        Representation dashboard = new Representation(json, EntityTags.weakOf(json), null);
        recent.put(KEY, dashboard);
        return dashboard;
    }

    static ObjectNode json(OrderTally tally) {
        ObjectNode body = HttpJson.object();
        ObjectNode statuses = body.putObject("statuses");
        for (OrderStatus status : OrderStatus.values()) {
            ObjectNode entry = statuses.putObject(status.name()).put("orders", tally.count(status));
            ObjectNode totals = entry.putObject("totals");
            Map<Currency, Long> byCurrency = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
            byCurrency.putAll(tally.totals().getOrDefault(status, Map.of()));
            byCurrency.forEach((currency, total) -> totals.put(currency.getCurrencyCode(), total));
        }
        return body;
    }
}
