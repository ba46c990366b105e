package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Which version of each read model queries serve: a row {@code pointer#<name>} with the
 * {@code active} version and the one before it, moved by one conditional write, so a cutover or
 * a rollback is atomic and two of them racing cannot both win. A read model without a pointer
 * serves the lowest version the deployment hosts (what it served before a second version existed).
 */
public final class ReadModelPointers {

    static final String PREFIX = "pointer#";

    /** Where a read model's queries point. */
    public record Pointer(String name, int active, @Nullable Integer previous, Instant movedAt) {
    }

    /** Another cutover or rollback moved the pointer first, or there is nothing to roll back to: nothing was written. */
    public static final class PointerMovedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PointerMovedException(String message) {
            super(message);
        }
    }

    private final DynamoDbClient dynamo;
    private final ReadTable table;

    public ReadModelPointers(DynamoDbClient dynamo, ReadTable table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    static String key(String name) {
        return PREFIX + name;
    }

    /**
     * The pointers of {@code names} that exist, read in one BatchGetItem (eventually consistent:
     * a container that reads a moment after a cutover serves the old version one interval longer).
     *
     * @throws ReadTableUnavailableException when DynamoDB fails or holds keys back
     */
    public Map<String, Pointer> read(Collection<String> names, boolean consistent) {
        Map<String, Pointer> pointers = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return pointers;
        }
        List<Map<String, AttributeValue>> keys = names.stream().distinct().map(name -> ViewRow.keyOf(key(name))).toList();
        BatchGetItemResponse response;
        try {
            response = dynamo.batchGetItem(get -> get.requestItems(Map.of(table.name(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build())));
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not read the read-model pointers in " + table.name() + ": " + failure.getMessage(), failure);
        }
        if (response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()) {
            throw new ReadTableUnavailableException("DynamoDB held back read-model pointers of " + table.name());
        }
        response.responses().getOrDefault(table.name(), List.of()).forEach(item -> {
            Pointer pointer = pointerOf(item);
            pointers.put(pointer.name(), pointer);
        });
        return pointers;
    }

    public Optional<Pointer> read(String name) {
        return Optional.ofNullable(read(List.of(name), true).get(name));
    }

    /**
     * Points {@code name} at {@code version}, if it still points where {@code expected} says (empty:
     * no pointer yet), remembering {@code servedBefore} for a rollback.
     *
     * @throws PointerMovedException when it points elsewhere now
     */
    public Pointer cutover(String name, int version, Optional<Integer> expected, int servedBefore, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(key(name)));
        item.put("active", number(version));
        item.put("previous", number(servedBefore));
        item.put("movedAt", AttributeValue.fromS(now.toString()));
        try {
            dynamo.putItem(put -> {
                put.tableName(table.name()).item(item).returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (expected.isEmpty()) {
                    put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PARTITION_KEY));
                } else {
                    put.conditionExpression("#active = :expected").expressionAttributeNames(Map.of("#active", "active"))
                            .expressionAttributeValues(Map.of(":expected", number(expected.get())));
                }
            });
        } catch (ConditionalCheckFailedException moved) {
            String current = moved.hasItem() && moved.item().containsKey("active") ? "version " + moved.item().get("active").n() : "no version";
            throw new PointerMovedException(name + " points at " + current + " now, not " + expected.map(v -> "version " + v).orElse("nothing")
                    + ": another cutover or rollback came first; look again and retry");
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not move the pointer of " + name + ": " + failure.getMessage(), failure);
        }
        return pointerOf(item);
    }

    /**
     * Points {@code name} back at the version it pointed at before its last cutover.
     *
     * @throws PointerMovedException when there is no earlier version, or the pointer moved meanwhile
     */
    public Pointer rollback(String name, Instant now) {
        Pointer current = read(name).orElseThrow(() -> new PointerMovedException(name + " was never cut over: there is nothing to roll back to"));
        if (current.previous() == null) {
            throw new PointerMovedException(name + " points at version " + current.active() + ", its first: there is nothing to roll back to");
        }
        return cutover(name, current.previous(), Optional.of(current.active()), current.active(), now);
    }

    private static Pointer pointerOf(Map<String, AttributeValue> item) {
        String name = item.get(PARTITION_KEY).s().substring(PREFIX.length());
        AttributeValue previous = item.get("previous");
        return new Pointer(name, Integer.parseInt(item.get("active").n()), previous == null ? null : Integer.parseInt(previous.n()),
                Instant.parse(item.get("movedAt").s()));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
