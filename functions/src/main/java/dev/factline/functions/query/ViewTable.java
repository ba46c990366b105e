package dev.factline.functions.query;

import static dev.factline.functions.view.ReadTable.LIST_KEY;
import static dev.factline.functions.view.ReadTable.LIST_POSITION;
import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import dev.factline.eventsourcing.Tally;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.TallyRows;
import dev.factline.functions.view.ViewRow;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The read table as the query function reads it: one view row, a tally's shard rows, a page of a
 * listing. Tallies and listings are read eventually consistently (half the price, and a read
 * model is a projection that lags anyway; a client that needs its own write asks for a minimum
 * version, which the event store answers). A view row is read consistently, because what it
 * reads fills Redis ({@link #view}). DynamoDB's failures leave as
 * {@link ViewsUnavailableException}, so no AWS exception type reaches the code above.
 */
final class ViewTable {

    /** BatchGetItem may leave keys unprocessed under throttling; ask again this many times at most. */
    private static final int BATCH_ATTEMPTS = 3;

    /**
     * A view's place in its list: its row key and its position in the listings index, as the
     * index holds them. The query does not read the position; it gives it back to DynamoDB.
     */
    record ListPosition(String rowKey, String position) {
        ListPosition {
            if (rowKey.isEmpty() || position.isEmpty()) {
                throw new IllegalArgumentException("a list position has a row key and a position, never empty");
            }
        }
    }

    /**
     * One page of a list, in its order: each view's JSON, the last view's position when another
     * page follows (null when this one is the last), and the Queries it took.
     */
    record ListPage(List<String> views, @Nullable ListPosition next, int queries) {
        ListPage {
            views = List.copyOf(views);
        }
    }

    private final DynamoDbClient dynamo;
    private final ReadTable table;
    private final ViewItems items;

    /** @param items how items become rows: claimed views fetched from the payload bucket, or none */
    ViewTable(DynamoDbClient dynamo, ReadTable table, ViewItems items) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.items = Objects.requireNonNull(items, "items");
    }

    /**
     * The view row at {@code key} (a stream id), if the projector has written one. One GetItem,
     * consistent: what it reads fills Redis, and an eventually consistent read could return
     * version v-1 after the projector wrote v and failed to reach Redis, parking v-1 there until
     * the stream's next event. The price is twice the read units (1 per 4 KB instead of 0.5),
     * paid on Redis misses only.
     */
    Optional<ViewRow> view(String key) {
        Map<String, AttributeValue> item = reading("read " + key,
                () -> dynamo.getItem(get -> get.tableName(table.name()).key(ViewRow.keyOf(key)).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(items.row(item));
    }

    /** {@code tally}'s counters: the sum of its shard rows, read with one BatchGetItem. */
    SortedMap<String, BigInteger> counters(Tally<?> tally) {
        List<Map<String, AttributeValue>> keys = tally.shardKeys().stream().map(ViewRow::keyOf).toList();
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        Map<String, KeysAndAttributes> wanted = Map.of(table.name(), KeysAndAttributes.builder().keys(keys).build());
        for (int attempt = 1; !wanted.isEmpty(); attempt++) {
            if (attempt > BATCH_ATTEMPTS) {
                throw new ViewsUnavailableException("the shard rows of " + tally.space() + " in " + table.name() + " were still unprocessed after "
                        + BATCH_ATTEMPTS + " attempts", new IllegalStateException("unprocessed keys"));
            }
            Map<String, KeysAndAttributes> asked = wanted;
            BatchGetItemResponse response = reading("read " + tally.space(), () -> dynamo.batchGetItem(batch -> batch.requestItems(asked)));
            rows.addAll(response.responses().getOrDefault(table.name(), List.of()));
            wanted = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return TallyRows.sum(rows);
    }

    /**
     * Up to {@code limit} views of the list at {@code listKey} after {@code after} (from the first
     * without one), through the listings index, asking for one more than the page to know whether
     * another page follows. One Query, or more when the views pass the 1 MB a Query reads at most:
     * such a Query ends early with a {@code LastEvaluatedKey}, and the next goes on from it until
     * the page and the one more are read or the index has no more.
     */
    ListPage listed(String listKey, @Nullable ListPosition after, int limit) {
        return listed(listKey, null, after, limit);
    }

    /**
     * As {@link #listed(String, ListPosition, int)}, of the views whose row key starts with
     * {@code rowKeyPrefix} only (all without one): a filter, so DynamoDB reads past the others
     * (and bills them) until the page is full or the list ends.
     */
    ListPage listed(String listKey, @Nullable String rowKeyPrefix, @Nullable ListPosition after, int limit) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, AttributeValue> from = after == null ? null : Map.of(
                PARTITION_KEY, AttributeValue.fromS(after.rowKey()),
                LIST_KEY, AttributeValue.fromS(listKey),
                LIST_POSITION, AttributeValue.fromS(after.position()));
        int queries = 0;
        do {
            QueryRequest query = listQuery(listKey, rowKeyPrefix, from).limit(limit + 1 - found.size()).build();
            QueryResponse response = reading("list " + listKey, () -> dynamo.query(query));
            queries++;
            found.addAll(response.items());
            from = response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null;
        } while (from != null && found.size() <= limit);
        List<String> views = new ArrayList<>();
        for (Map<String, AttributeValue> item : found.subList(0, Math.min(limit, found.size()))) {
            views.add(items.row(item).json());
        }
        return new ListPage(views, found.size() > limit ? positionOf(found.get(limit - 1)) : null, queries);
    }

    /**
     * How many views the list at {@code listKey} holds (those whose row key starts with
     * {@code rowKeyPrefix}, if given): Queries that count rather than return, a page per MB of the
     * list, and the Queries it took.
     */
    ListCount count(String listKey, @Nullable String rowKeyPrefix) {
        long count = 0;
        int queries = 0;
        Map<String, AttributeValue> from = null;
        do {
            QueryRequest query = listQuery(listKey, rowKeyPrefix, from).select(Select.COUNT).build();
            QueryResponse response = reading("count " + listKey, () -> dynamo.query(query));
            queries++;
            count += response.count();
            from = response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null;
        } while (from != null);
        return new ListCount(count, queries);
    }

    /** A list's size, and the Queries that counted it. */
    record ListCount(long count, int queries) {
    }

    private QueryRequest.Builder listQuery(String listKey, @Nullable String rowKeyPrefix, @Nullable Map<String, AttributeValue> from) {
        Map<String, String> names = new HashMap<>(Map.of("#list", LIST_KEY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":list", AttributeValue.fromS(listKey)));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table.name())
                .indexName(ReadTable.LISTINGS_INDEX)
                .keyConditionExpression("#list = :list");
        if (rowKeyPrefix != null) {
            names.put("#row", PARTITION_KEY);
            values.put(":prefix", AttributeValue.fromS(rowKeyPrefix));
            query.filterExpression("begins_with(#row, :prefix)");
        }
        query.expressionAttributeNames(names).expressionAttributeValues(values);
        if (from != null) {
            query.exclusiveStartKey(from);
        }
        return query;
    }

    private static ListPosition positionOf(Map<String, AttributeValue> item) {
        String key = item.get(PARTITION_KEY).s();
        AttributeValue position = item.get(LIST_POSITION);
        if (position == null || position.s() == null) {
            throw new IllegalStateException("read table item " + key + " is in the listings index without " + LIST_POSITION);
        }
        return new ListPosition(key, position.s());
    }

    private <T> T reading(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw new ViewsUnavailableException("could not " + what + " in DynamoDB table " + table.name() + ": " + failure.getMessage(), failure);
        }
    }
}
