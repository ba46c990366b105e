package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cache entries that may be stale because Redis was unreachable when their views moved,
 * kept durably in the read table's {@value #KEY} row until someone evicts them.
 *
 * <p>Why durable: the projector that missed Redis may never run again in that container, and
 * Redis may come back still holding the old entries (a network partition, a replica promoted
 * with older data). Whoever next reaches Redis (the projector at the start of its next batch,
 * or a query function on its periodic check) evicts the listed entries and then removes exactly
 * those keys from the list, so keys added meanwhile stay listed. Evicting twice is harmless.
 */
public final class CacheRepairs {

    public static final String KEY = "cache#repair";
    static final String KEYS = "keys";

    private final DynamoDbClient dynamo;
    private final ReadTable table;

    public CacheRepairs(DynamoDbClient dynamo, ReadTable table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Lists {@code keys} as possibly stale in the cache (one UpdateItem; adding a listed key again changes nothing). */
    public void record(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        dynamo.updateItem(update -> update.tableName(table.name())
                .key(ViewRow.keyOf(KEY))
                .updateExpression("ADD #keys :keys")
                .expressionAttributeNames(Map.of("#keys", KEYS))
                .expressionAttributeValues(Map.of(":keys", AttributeValue.fromSs(List.copyOf(keys)))));
    }

    /** The keys listed, read consistently. */
    public Set<String> pending() {
        return pendingIn(dynamo.getItem(get -> get.tableName(table.name()).key(ViewRow.keyOf(KEY)).consistentRead(true)).item());
    }

    /** The keys listed in a copy of the {@value #KEY} row read by other means (e.g. in a batch read); none for no row. */
    public static Set<String> pendingIn(Map<String, AttributeValue> row) {
        if (row == null || !KEY.equals(row.getOrDefault(PARTITION_KEY, AttributeValue.fromS("")).s())) {
            return Set.of();
        }
        AttributeValue keys = row.get(KEYS);
        return keys == null || !keys.hasSs() ? Set.of() : Set.copyOf(keys.ss());
    }

    /**
     * Evicts {@code keys} from {@code cache}, then takes them off the list.
     *
     * @throws ViewCache.CacheUnavailableException if Redis is still unreachable; the list stays
     */
    public void repair(ViewCache cache, Set<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        cache.evict(keys);
        dynamo.updateItem(update -> update.tableName(table.name())
                .key(ViewRow.keyOf(KEY))
                .updateExpression("DELETE #keys :keys")
                .expressionAttributeNames(Map.of("#keys", KEYS))
                .expressionAttributeValues(Map.of(":keys", AttributeValue.fromSs(List.copyOf(keys)))));
    }
}
