package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import dev.factline.order.OrderStatus;
import dev.factline.order.OrderTally;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The order dashboard in the read table: {@value #SHARDS} rows of counters whose sum is the
 * dashboard. Each order always counts in the same row (by its id), and a batch adds its orders'
 * changes to their rows in the same transaction that moves the order rows, so a change is counted
 * exactly when its order's version moves: never twice for a re-delivered event. Because an order
 * lives in one row, a reader adding up rows read at slightly different moments sees each order
 * once, before or after a move, never in two statuses or none. Several rows rather than one
 * spread the writes of concurrent shards; a reader adds them up with one BatchGetItem.
 *
 * <p>Counters are top-level numbers, {@code orders_<STATUS>} and {@code total_<STATUS>_<CUR>},
 * because {@code ADD} creates a missing number at zero only at the top level.
 */
public final class DashboardRows {

    public static final int SHARDS = 8;
    private static final String PREFIX = "dashboard#";
    private static final Pattern COUNT = Pattern.compile("orders_([A-Z]+)");
    private static final Pattern TOTAL = Pattern.compile("total_([A-Z]+)_([A-Z]{3})");

    private DashboardRows() {
    }

    /** The row the order with this view key counts in. */
    public static String rowOf(String orderKey) {
        return PREFIX + Math.floorMod(orderKey.hashCode(), SHARDS);
    }

    public static List<String> allKeys() {
        List<String> keys = new ArrayList<>(SHARDS);
        for (int shard = 0; shard < SHARDS; shard++) {
            keys.add(PREFIX + shard);
        }
        return keys;
    }

    /** The UpdateItem (as a transaction part) that adds {@code change} to the row at {@code key}. */
    public static Update addition(String tableName, String key, OrderTally change) {
        StringJoiner additions = new StringJoiner(", ", "ADD ", "");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        change.counts().forEach((status, count) -> add(additions, names, values, "orders_" + status, count));
        change.totals().forEach((status, byCurrency) -> byCurrency.forEach((currency, total) ->
                add(additions, names, values, "total_" + status + "_" + currency.getCurrencyCode(), total)));
        return Update.builder()
                .tableName(tableName)
                .key(ViewRow.keyOf(key))
                .updateExpression(additions.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static void add(StringJoiner additions, Map<String, String> names, Map<String, AttributeValue> values, String attribute, long amount) {
        int index = names.size();
        names.put("#a" + index, attribute);
        values.put(":a" + index, AttributeValue.fromN(Long.toString(amount)));
        additions.add("#a" + index + " :a" + index);
    }

    /** The dashboard: the sum of the rows read (missing rows count as empty). */
    public static OrderTally sum(Collection<Map<String, AttributeValue>> rows) {
        OrderTally.Builder sum = new OrderTally.Builder();
        for (Map<String, AttributeValue> row : rows) {
            row.forEach((attribute, value) -> {
                if (attribute.equals(PARTITION_KEY) || value.n() == null) {
                    return;
                }
                Matcher count = COUNT.matcher(attribute);
                Matcher total = TOTAL.matcher(attribute);
                if (count.matches()) {
                    sum.addCount(OrderStatus.valueOf(count.group(1)), Long.parseLong(value.n()));
                } else if (total.matches()) {
                    sum.addTotal(OrderStatus.valueOf(total.group(1)), Currency.getInstance(total.group(2)), Long.parseLong(value.n()));
                }
            });
        }
        return sum.build();
    }
}
