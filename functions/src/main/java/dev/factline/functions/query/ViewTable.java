package dev.factline.functions.query;

import static dev.factline.functions.view.ReadTable.CUSTOMER_ID;
import static dev.factline.functions.view.ReadTable.PARTITION_KEY;
import static dev.factline.functions.view.ReadTable.PLACED_KEY;

import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.view.DashboardRows;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderTally;
import dev.factline.order.Orders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The read table as the query function reads it: one view row, the dashboard's rows, a page of a
 * customer's orders. The dashboard and the orders are read eventually consistently (half the
 * price, and a view is a projection that lags anyway; a client that needs its own write asks for
 * a minimum version, which the event store answers). A view row is read consistently, because
 * what it reads fills Redis ({@link #view}). DynamoDB's failures leave as
 * {@link ViewsUnavailableException}, so no AWS exception type reaches the code above.
 */
final class ViewTable {

    /** BatchGetItem may leave keys unprocessed under throttling; ask again this many times at most. */
    private static final int BATCH_ATTEMPTS = 3;

    /**
     * An order's place in its customer's list: its id and its sort key in the customer-orders
     * index, as the index holds it. The query does not read the key; it gives it back to DynamoDB.
     */
    record OrderPosition(String orderId, String placedKey) {
        OrderPosition {
            StreamId.requireId("order id", orderId);
            if (placedKey.isEmpty()) {
                throw new IllegalArgumentException("an order's placed key is never empty");
            }
        }
    }

    /**
     * One page of a customer's orders, oldest first: each order's view JSON, the last order's
     * position when another page follows (null when this one is the last), and the Queries it took.
     */
    record OrdersPage(List<String> views, @Nullable OrderPosition next, int queries) {
        OrdersPage {
            views = List.copyOf(views);
        }
    }

    private final DynamoDbClient dynamo;
    private final ReadTable table;

    ViewTable(DynamoDbClient dynamo, ReadTable table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * The view row at {@code key} (a stream id), if the projector has written one. One GetItem,
     * consistent: what it reads fills Redis, and an eventually consistent read could return
     * version v-1 after the projector wrote v and failed to reach Redis, parking v-1 there until
     * the stream's next event. The price is twice the read units (1 per 4 KB instead of 0.5),
     * paid on LRU and Redis misses only.
     */
    Optional<ViewRow> view(String key) {
        Map<String, AttributeValue> item = reading("read " + key,
                () -> dynamo.getItem(get -> get.tableName(table.name()).key(ViewRow.keyOf(key)).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ViewRow.fromItem(item));
    }

    /** The dashboard: the sum of its shard rows, read with one BatchGetItem. */
    OrderTally dashboard() {
        List<Map<String, AttributeValue>> keys = DashboardRows.allKeys().stream().map(ViewRow::keyOf).toList();
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        Map<String, KeysAndAttributes> wanted = Map.of(table.name(), KeysAndAttributes.builder().keys(keys).build());
        for (int attempt = 1; !wanted.isEmpty(); attempt++) {
            if (attempt > BATCH_ATTEMPTS) {
                throw new ViewsUnavailableException("the dashboard rows of " + table.name() + " were still unprocessed after "
                        + BATCH_ATTEMPTS + " attempts", new IllegalStateException("unprocessed keys"));
            }
            Map<String, KeysAndAttributes> asked = wanted;
            BatchGetItemResponse response = reading("read the dashboard", () -> dynamo.batchGetItem(batch -> batch.requestItems(asked)));
            rows.addAll(response.responses().getOrDefault(table.name(), List.of()));
            wanted = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return DashboardRows.sum(rows);
    }

    /**
     * Up to {@code limit} of the customer's orders after {@code after} (from the first without
     * one), through the customer-orders index, asking for one more than the page to know whether
     * another page follows. One Query, or more when the orders pass the 1 MB a Query reads at
     * most: such a Query ends early with a {@code LastEvaluatedKey}, and the next goes on from it
     * until the page and the one more are read or the index has no more.
     */
    OrdersPage customerOrders(String customerId, @Nullable OrderPosition after, int limit) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> from = after == null ? null : Map.of(
                PARTITION_KEY, AttributeValue.fromS(StreamId.of(Orders.STREAM_TYPE, after.orderId()).toString()),
                CUSTOMER_ID, AttributeValue.fromS(customerId),
                PLACED_KEY, AttributeValue.fromS(after.placedKey()));
        int queries = 0;
        do {
            QueryResponse response = ordersQuery(customerId, from, limit + 1 - items.size());
            queries++;
            items.addAll(response.items());
            from = response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null;
        } while (from != null && items.size() <= limit);
        List<String> views = new ArrayList<>();
        for (Map<String, AttributeValue> item : items.subList(0, Math.min(limit, items.size()))) {
            views.add(ViewRow.fromItem(item).json());
        }
        return new OrdersPage(views, items.size() > limit ? positionOf(items.get(limit - 1)) : null, queries);
    }

    private QueryResponse ordersQuery(String customerId, @Nullable Map<String, AttributeValue> from, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table.name())
                .indexName(ReadTable.CUSTOMER_ORDERS_INDEX)
                .keyConditionExpression("#customer = :customer")
                .expressionAttributeNames(Map.of("#customer", CUSTOMER_ID))
                .expressionAttributeValues(Map.of(":customer", AttributeValue.fromS(customerId)))
                .limit(limit);
        if (from != null) {
            query.exclusiveStartKey(from);
        }
        return reading("list the orders of customer " + customerId, () -> dynamo.query(query.build()));
    }

    private static OrderPosition positionOf(Map<String, AttributeValue> item) {
        ViewRow row = ViewRow.fromItem(item);
        if (row.placedKey() == null) {
            throw new IllegalStateException("read table item " + row.key() + " is in the customer-orders index without " + PLACED_KEY);
        }
        return new OrderPosition(StreamId.parse(row.key()).id(), row.placedKey());
    }

    private <T> T reading(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw new ViewsUnavailableException("could not " + what + " in DynamoDB table " + table.name() + ": " + failure.getMessage(), failure);
        }
    }
}
