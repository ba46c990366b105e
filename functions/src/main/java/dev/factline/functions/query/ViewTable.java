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
 * customer's orders. Reads are eventually consistent (half the price, and a view is a
 * projection that lags anyway; a client that needs its own write asks for a minimum version,
 * which the event store answers). DynamoDB's failures leave as {@link ViewsUnavailableException},
 * so no AWS exception type reaches the code above.
 */
final class ViewTable {

    /** BatchGetItem may leave keys unprocessed under throttling; ask again this many times at most. */
    private static final int BATCH_ATTEMPTS = 3;

    /** One page of a customer's orders, oldest first: each order's view JSON, and where the next page starts. */
    record OrdersPage(List<String> views, @Nullable String lastPlacedKey) {
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

    /** The view row at {@code key} (a stream id), if the projector has written one. One GetItem. */
    Optional<ViewRow> view(String key) {
        Map<String, AttributeValue> item = reading("read " + key,
                () -> dynamo.getItem(get -> get.tableName(table.name()).key(ViewRow.keyOf(key))).item());
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
     * Up to {@code limit} of the customer's orders placed after {@code afterPlacedKey} (from the
     * first without one), through the customer-orders index: one Query, asking for one more than
     * the page to know whether another page follows.
     */
    OrdersPage customerOrders(String customerId, @Nullable String afterPlacedKey, int limit) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table.name())
                .indexName(ReadTable.CUSTOMER_ORDERS_INDEX)
                .keyConditionExpression("#customer = :customer")
                .expressionAttributeNames(Map.of("#customer", CUSTOMER_ID))
                .expressionAttributeValues(Map.of(":customer", AttributeValue.fromS(customerId)))
                .limit(limit + 1);
        if (afterPlacedKey != null) {
            String orderId = afterPlacedKey.substring(afterPlacedKey.indexOf('#') + 1);
            query.exclusiveStartKey(Map.of(
                    PARTITION_KEY, AttributeValue.fromS(StreamId.of(Orders.STREAM_TYPE, orderId).toString()),
                    CUSTOMER_ID, AttributeValue.fromS(customerId),
                    PLACED_KEY, AttributeValue.fromS(afterPlacedKey)));
        }
        QueryResponse response = reading("list the orders of customer " + customerId, () -> dynamo.query(query.build()));
        List<Map<String, AttributeValue>> items = response.items();
        List<String> views = new ArrayList<>();
        for (Map<String, AttributeValue> item : items.subList(0, Math.min(limit, items.size()))) {
            views.add(ViewRow.fromItem(item).json());
        }
        String last = items.size() > limit ? items.get(limit - 1).get(PLACED_KEY).s() : null;
        return new OrdersPage(views, last);
    }

    private <T> T reading(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw new ViewsUnavailableException("could not " + what + " in DynamoDB table " + table.name() + ": " + failure.getMessage(), failure);
        }
    }
}
