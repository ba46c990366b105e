package dev.factline.functions.view;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which Redis entries can be trusted: those written at the current cache generation, a number
 * kept in the read table's {@value #KEY} row (absent: 0).
 *
 * <p>A projector that cannot write its views through to Redis advances the generation: Redis may
 * come back still holding the views it could not replace (a network partition, a replica
 * promoted with older data), and every entry written before is now suspect. Readers that know
 * the new generation treat older entries as misses and refill them from the table; writers label
 * every entry with the generation they knew. One small row instead of a list of suspect keys:
 * its size never grows with an outage, and one write invalidates everything, at the price of a
 * cold cache after each outage.
 */
public final class CacheGeneration {

    public static final String KEY = "cache#generation";
    static final String GENERATION = "generation";

    private final DynamoDbClient dynamo;
    private final ReadTable table;

    public CacheGeneration(DynamoDbClient dynamo, ReadTable table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The current generation, read consistently. */
    public long current() {
        return in(dynamo.getItem(get -> get.tableName(table.name()).key(ViewRow.keyOf(KEY)).consistentRead(true)).item());
    }

    /** The generation in a copy of the {@value #KEY} row read by other means (a batch read); 0 for none. */
    public static long in(Map<String, AttributeValue> row) {
        if (row == null || !row.containsKey(PARTITION_KEY) || !KEY.equals(row.get(PARTITION_KEY).s())) {
            return 0;
        }
        AttributeValue generation = row.get(GENERATION);
        return generation == null || generation.n() == null ? 0 : Long.parseLong(generation.n());
    }

    /**
     * Makes every entry written so far untrusted (one UpdateItem; concurrent advances add up, which is harmless).
     *
     * @throws ReadTableUnavailableException if DynamoDB failed to write it
     */
    public void advance() {
        try {
            dynamo.updateItem(update -> update.tableName(table.name())
                    .key(ViewRow.keyOf(KEY))
                    .updateExpression("ADD #generation :one")
                    .expressionAttributeNames(Map.of("#generation", GENERATION))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not advance the cache generation in " + table.name() + ": " + failure.getMessage(), failure);
        }
    }
}
