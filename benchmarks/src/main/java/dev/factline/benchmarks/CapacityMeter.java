package dev.factline.benchmarks;

import dev.factline.functions.view.ReadTable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The calls a client makes, by operation, and the request units DynamoDB on demand would bill for
 * them, counted from outside the code measured. Scan's units are DynamoDB's own answer (the
 * rebuild asks for ReturnConsumedCapacity TOTAL; dynalite computes it by DynamoDB's rule: the
 * page's item sizes summed, rounded up to 4 KB, halved for an eventually consistent read); a
 * Query's are computed by the same rule from its page, read consistently as the store reads. The
 * others are computed from the requests, since dynalite's transactions report no capacity:
 * a consistent read is 1 unit per item of up to 4 KB (a missing item costs the same), a write 1
 * unit per KB of the item, twice that inside a transaction. A put of a listed view (one with
 * {@value ReadTable#LIST_KEY}) also writes its entry in the read table's listings index, 1 unit
 * per KB ({@link Bill#indexWriteUnits}, apart: DynamoDB bills a global secondary index's writes on
 * their own, "GSI.Writes" in its guide); a new entry is one write, one that moves in its list
 * (a changed {@value ReadTable#LIST_POSITION}) two, of which only the first is counted here, since
 * the request does not show the item it replaces.
 */
public final class CapacityMeter implements ExecutionInterceptor {

    private static final int WRITE_UNIT_BYTES = 1024;
    private static final int READ_UNIT_BYTES = 4096;

    private final Map<String, Integer> calls = new TreeMap<>();
    private double scanReadUnits;
    private double rowReadUnits;
    private double writeUnits;
    private double indexWriteUnits;
    private long transactedItems;

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
        switch (context.request()) {
            case BatchGetItemRequest batch -> rowReadUnits += batch.requestItems().values().stream().mapToInt(keys -> keys.keys().size()).sum();
            case GetItemRequest ignored -> rowReadUnits += 1;
            case TransactWriteItemsRequest transaction -> {
                for (TransactWriteItem item : transaction.transactItems()) {
                    transactedItems++;
                    // An update's item is not in the request; a tally's row is far under 1 KB.
                    writeUnits += 2 * (item.put() == null ? 1 : writeUnitsOf(item.put().item()));
                    if (item.put() != null && item.put().item().containsKey(ReadTable.LIST_KEY)) {
                        indexWriteUnits += writeUnitsOf(item.put().item());
                    }
                }
            }
            case PutItemRequest put -> writeUnits += writeUnitsOf(put.item());
            // The ledger's run row: its lease and state, far under 1 KB.
            case UpdateItemRequest ignored -> writeUnits += 1;
            default -> { }
        }
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof ScanResponse scan && scan.consumedCapacity() != null && scan.consumedCapacity().capacityUnits() != null) {
            scanReadUnits += scan.consumedCapacity().capacityUnits();
        }
        // The store's Query is consistent: 1 unit per 4 KB of the page's items, at least 1 (DynamoDB's rule for a query).
        if (context.response() instanceof QueryResponse query) {
            long bytes = query.items().stream().mapToLong(CapacityMeter::sizeOf).sum();
            rowReadUnits += Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        }
    }

    /** What was counted at one moment. */
    public record Bill(Map<String, Integer> calls, double scanReadUnits, double rowReadUnits, double writeUnits, double indexWriteUnits,
            long transactedItems) {

        public int calls(String operation) {
            return calls.getOrDefault(operation, 0);
        }

        public int totalCalls() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }

        public double readUnits() {
            return scanReadUnits + rowReadUnits;
        }
    }

    public synchronized Bill bill() {
        return new Bill(Map.copyOf(calls), scanReadUnits, rowReadUnits, writeUnits, indexWriteUnits, transactedItems);
    }

    private static long writeUnitsOf(Map<String, AttributeValue> item) {
        return Math.max(1, (sizeOf(item) + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    /** DynamoDB's item size: each attribute's name and value, as its documentation counts them. */
    static long sizeOf(Map<String, AttributeValue> item) {
        return item.entrySet().stream().mapToLong(attribute -> utf8(attribute.getKey()) + sizeOf(attribute.getValue())).sum();
    }

    private static long sizeOf(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> numberSize(value.n());
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(CapacityMeter::utf8).sum();
            case NS -> value.ns().stream().mapToLong(CapacityMeter::numberSize).sum();
            case BS -> value.bs().stream().mapToLong(bytes -> bytes.asByteArray().length).sum();
            case L -> 3 + value.l().stream().mapToLong(element -> 1 + sizeOf(element)).sum();
            case M -> 3 + value.m().entrySet().stream().mapToLong(entry -> utf8(entry.getKey()) + 1 + sizeOf(entry.getValue())).sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute of a type this SDK does not know: " + value);
        };
    }

    /** One byte per two significant digits, plus one. */
    private static long numberSize(String number) {
        String digits = new BigDecimal(number).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
