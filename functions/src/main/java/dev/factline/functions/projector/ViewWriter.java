package dev.factline.functions.projector;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;
import static dev.factline.functions.view.ReadTable.VERSION;

import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.functions.store.PayloadStoreUnavailableException;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ReadTableUnavailableException;
import dev.factline.functions.view.TallyRows;
import dev.factline.functions.view.ViewRow;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The projector's reads and writes on the read table: every row a batch needs in one
 * BatchGetItem, and every row it changes in one TransactWriteItems (per 100 items), each row
 * conditioned on the version it was read at, together with the changes they make to tallies.
 *
 * <p>The transaction is what makes a tally exact: its counters move exactly when the view rows
 * they come from move, so an event delivered twice is skipped by the row's version and cannot be
 * counted twice. A row that moved since it was read (a concurrent delivery of the same
 * records) cancels the transaction; DynamoDB then hands back the row as it is now, and the
 * caller folds again from it.
 */
final class ViewWriter {

    /** DynamoDB's limit on items per transaction: view rows and tally shard rows together. */
    static final int MAX_ITEMS_PER_TRANSACTION = 100;
    /** DynamoDB refuses a transaction over 4 MB; rows are sized by their attributes, so keep a margin. */
    static final long MAX_BYTES_PER_TRANSACTION = 3_500_000;
    private static final int MAX_KEYS_PER_BATCH_GET = 100;
    /** Rounds of a BatchGetItem's unprocessed keys (throttling) before the batch is handed back to Lambda. */
    private static final int MAX_READ_ROUNDS = 8;

    private final DynamoDbClient dynamo;
    private final ReadTable table;
    private final RetryBackoff backoff;
    private final long maxBytesPerTransaction;
    private final ViewItems items;

    /** Every view inline in its row. */
    ViewWriter(DynamoDbClient dynamo, ReadTable table, RetryBackoff backoff) {
        this(dynamo, table, backoff, ViewItems.inline());
    }

    /** @param items how rows become items: large views claim-checked, or none */
    ViewWriter(DynamoDbClient dynamo, ReadTable table, RetryBackoff backoff, ViewItems items) {
        this(dynamo, table, backoff, MAX_BYTES_PER_TRANSACTION, items);
    }

    /** With a smaller size limit per transaction than DynamoDB's, for tests of how rows are split. */
    ViewWriter(DynamoDbClient dynamo, ReadTable table, RetryBackoff backoff, long maxBytesPerTransaction, ViewItems items) {
        this.items = Objects.requireNonNull(items, "items");
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (maxBytesPerTransaction < 1 || maxBytesPerTransaction > MAX_BYTES_PER_TRANSACTION) {
            throw new IllegalArgumentException("a transaction's size limit is 1.." + MAX_BYTES_PER_TRANSACTION + " bytes, not " + maxBytesPerTransaction);
        }
        this.maxBytesPerTransaction = maxBytesPerTransaction;
    }

    long maxBytesPerTransaction() {
        return maxBytesPerTransaction;
    }

    /** About the bytes {@code row} adds to a transaction, as it is written (a large view's claim, not its text). */
    long bytesOf(ViewRow row) {
        return items.itemBytes(row);
    }

    /**
     * The view row an item read from the table holds, its claimed view fetched.
     *
     * @throws dev.factline.functions.store.PayloadTamperedException if a claimed view's blob is missing or not the view
     * @throws PayloadStoreUnavailableException if the blob store cannot be used
     */
    ViewRow rowOf(Map<String, AttributeValue> item) {
        return items.row(item);
    }

    /**
     * The rows at {@code keys} that exist, read consistently, by key.
     *
     * @throws ReadTableUnavailableException if DynamoDB fails, or still holds keys back after {@value #MAX_READ_ROUNDS} rounds
     */
    Map<String, Map<String, AttributeValue>> read(List<String> keys) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_BATCH_GET) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_BATCH_GET))
                    .stream().map(ViewRow::keyOf).toList();
            for (int round = 1; !pending.isEmpty(); round++) {
                if (round > MAX_READ_ROUNDS) {
                    throw new ReadTableUnavailableException("DynamoDB left " + pending.size() + " keys of " + table.name()
                            + " unprocessed after " + MAX_READ_ROUNDS + " rounds");
                }
                if (round > 1) {
                    backoff.pause(round - 1);
                }
                List<Map<String, AttributeValue>> asked = pending;
                BatchGetItemResponse response;
                try {
                    response = dynamo.batchGetItem(get -> get.requestItems(
                            Map.of(table.name(), KeysAndAttributes.builder().keys(asked).consistentRead(true).build())));
                } catch (SdkException failure) {
                    throw new ReadTableUnavailableException("could not read " + asked.size() + " rows of " + table.name() + ": "
                            + failure.getMessage(), failure);
                }
                response.responses().getOrDefault(table.name(), List.of())
                        .forEach(item -> found.put(item.get(PARTITION_KEY).s(), item));
                KeysAndAttributes unprocessed = response.unprocessedKeys().get(table.name());
                pending = unprocessed == null ? List.of() : unprocessed.keys();
            }
        }
        return found;
    }

    /** A row to write, and the version the read table held when it was read (0: none). */
    record RowWrite(ViewRow row, long expectedVersion) {
    }

    /** How a transaction ended: committed, or cancelled with the rows that moved meanwhile. */
    sealed interface Outcome {
        record Committed(int itemsWritten) implements Outcome {
        }

        /** Rows whose version no longer matched, as they are now (absent when the row is gone). */
        record RowsMoved(Map<String, Map<String, AttributeValue>> current) implements Outcome {
        }

        /** Rows DynamoDB refused as such (e.g. over 400 KB), by key, with the reason: they can never be written. */
        record RowsRefused(Map<String, String> reasons) implements Outcome {
        }

        /** Cancelled for a reason other than a moved row (another transaction on the same items, throttling). */
        record Contended(String reasons) implements Outcome {
        }

        /** DynamoDB (or the bucket of large views) could not be reached or failed for a reason of its own: nothing was written. */
        record Unavailable(String reason) implements Outcome {
        }
    }

    /**
     * Writes {@code rows} and adds each change in {@code tallies} to its shard row (by key), all or
     * nothing: at most {@value #MAX_ITEMS_PER_TRANSACTION} items together.
     */
    Outcome write(List<RowWrite> rows, Map<String, SortedMap<String, BigInteger>> tallies) {
        if (rows.size() + tallies.size() > MAX_ITEMS_PER_TRANSACTION) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS_PER_TRANSACTION + " items per transaction, got "
                    + rows.size() + " rows and " + tallies.size() + " tally shards");
        }
        List<TransactWriteItem> writes = new ArrayList<>(rows.size() + tallies.size());
        try {
            for (RowWrite write : rows) {
                writes.add(TransactWriteItem.builder().put(guardedPut(write)).build());
            }
        } catch (PayloadStoreUnavailableException bucketAway) {
            return new Outcome.Unavailable("could not store a large view before writing it: " + bucketAway.getMessage());
        }
        tallies.forEach((key, change) -> {
            if (!change.isEmpty()) {
                writes.add(TransactWriteItem.builder().update(TallyRows.addition(table.name(), key, change)).build());
            }
        });
        if (writes.isEmpty()) {
            return new Outcome.Committed(0);
        }
        try {
            dynamo.transactWriteItems(transaction -> transaction.transactItems(writes));
            return new Outcome.Committed(writes.size());
        } catch (TransactionCanceledException cancelled) {
            return outcomeOf(rows, cancelled);
        } catch (SdkException failure) {
            return new Outcome.Unavailable("could not write " + writes.size() + " items of " + table.name() + ": " + failure.getMessage());
        }
    }

    private Put guardedPut(RowWrite write) {
        Put.Builder put = Put.builder()
                .tableName(table.name())
                .item(items.item(write.row()))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (write.expectedVersion() == 0) {
            return put.conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PARTITION_KEY))
                    .build();
        }
        return put.conditionExpression("#version = :read")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":read", AttributeValue.fromN(Long.toString(write.expectedVersion()))))
                .build();
    }

    private static Outcome outcomeOf(List<RowWrite> rows, TransactionCanceledException cancelled) {
        List<CancellationReason> reasons = cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
        Map<String, Map<String, AttributeValue>> moved = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> other = new ArrayList<>();
        for (int index = 0; index < reasons.size(); index++) {
            CancellationReason reason = reasons.get(index);
            String code = reason.code();
            if (code == null || "None".equals(code)) {
                continue;
            }
            if ("ConditionalCheckFailed".equals(code) && index < rows.size()) {
                moved.put(rows.get(index).row().key(), reason.hasItem() ? reason.item() : Map.of());
            } else if ("ValidationError".equals(code) && index < rows.size()) {
                refused.put(rows.get(index).row().key(), String.valueOf(reason.message()));
            } else {
                other.add(code);
            }
        }
        if (!refused.isEmpty()) {
            return new Outcome.RowsRefused(refused);
        }
        if (!moved.isEmpty() && other.isEmpty()) {
            return new Outcome.RowsMoved(moved);
        }
        return new Outcome.Contended(other.isEmpty() ? String.valueOf(cancelled.getMessage()) : String.join(", ", other));
    }
}
