package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import dev.factline.eventsourcing.Tally;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A {@link Tally}'s shard rows in the read table: one row per shard, each counter a top-level
 * number (because {@code ADD} creates a missing number at zero only at the top level), moved by
 * {@code ADD} in the transaction that moves the views it counts. DynamoDB numbers carry 38
 * digits, so the counters are read as exact integers.
 */
public final class TallyRows {

    private TallyRows() {
    }

    /** The UpdateItem (as a transaction part) that adds {@code change} to the shard row at {@code key}. */
    public static Update addition(String tableName, String key, SortedMap<String, BigInteger> change) {
        if (change.isEmpty()) {
            throw new IllegalArgumentException("an addition to " + key + " needs a counter to change");
        }
        StringJoiner additions = new StringJoiner(", ", "ADD ", "");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        change.forEach((counter, amount) -> {
            int index = names.size();
            names.put("#a" + index, counter);
            values.put(":a" + index, AttributeValue.fromN(amount.toString()));
            additions.add("#a" + index + " :a" + index);
        });
        return Update.builder()
                .tableName(tableName)
                .key(ViewRow.keyOf(key))
                .updateExpression(additions.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /** The counters of the shard rows read, added up (missing rows count as empty). */
    public static SortedMap<String, BigInteger> sum(Collection<Map<String, AttributeValue>> rows) {
        List<Map<String, BigInteger>> shards = new ArrayList<>(rows.size());
        for (Map<String, AttributeValue> row : rows) {
            SortedMap<String, BigInteger> counters = new TreeMap<>();
            row.forEach((attribute, value) -> {
                if (!attribute.equals(PARTITION_KEY) && value.n() != null) {
                    counters.put(attribute, new BigInteger(value.n()));
                }
            });
            shards.add(counters);
        }
        return Tally.sum(shards);
    }
}
