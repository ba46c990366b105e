package dev.factline.functions.rebuild;

import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.CommitImages;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.stream.ChangeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The event table read by Scan segments, a page at a time, commits only (snapshots and
 * idempotency claims are filtered out by DynamoDB, though their reads are paid). Eventually
 * consistent reads, at half the price: whatever a page misses of the last moments is written by
 * the live projector, which hosts the version being rebuilt from before the rebuild starts.
 *
 * <p>Within a segment, DynamoDB returns the items of one stream together and in version order,
 * but the fold does not rely on it: a stream that a page cuts is read from its stored row on the
 * next page, and a gap is read from the event store.
 */
public final class EventTableScan {

    /**
     * Where a segment's scan stands: the key of the last item read (DynamoDB's LastEvaluatedKey).
     * The sort key is kept as DynamoDB's number text, not a version: the last item of a page may be
     * a snapshot (sort key {@code version + 0.5}) or a claim, whose keys are no whole versions.
     */
    public record Position(String streamId, String sortKey) {
        public Position {
            Objects.requireNonNull(streamId, "streamId");
            Objects.requireNonNull(sortKey, "sortKey");
        }

        Map<String, AttributeValue> key() {
            return Map.of(EventTable.PARTITION_KEY, AttributeValue.fromS(streamId), EventTable.SORT_KEY, AttributeValue.fromN(sortKey));
        }

        static @Nullable Position of(@Nullable Map<String, AttributeValue> key) {
            if (key == null || key.isEmpty()) {
                return null;
            }
            return new Position(key.get(EventTable.PARTITION_KEY).s(), key.get(EventTable.SORT_KEY).n());
        }
    }

    /**
     * One page: its commits (each with its position in the scan as its sequence number), the
     * commit items that did not read, how many items DynamoDB read and the read units it charged,
     * and where the next page starts (null: the segment is done).
     */
    public record Page(List<ChangeRecord> commits, List<String> unreadable, int itemsRead, double readUnits, @Nullable Position next) {
        public Page {
            commits = List.copyOf(commits);
            unreadable = List.copyOf(unreadable);
        }
    }

    private final DynamoDbClient dynamo;
    private final EventTable table;
    private final ClaimChecks claims;

    /** @param claims how claim-checked payloads are fetched; one that cannot be makes its commit unreadable */
    public EventTableScan(DynamoDbClient dynamo, EventTable table, ClaimChecks claims) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /**
     * The page of {@code segment} (of {@code segments}) after {@code after}, at most {@code limit}
     * items read; its commits are numbered from {@code firstPosition}.
     *
     * @throws EventTableUnavailableException when DynamoDB fails (throttling past the SDK's retries included)
     */
    public Page read(int segment, int segments, @Nullable Position after, int limit, long firstPosition) {
        ScanRequest.Builder scan = ScanRequest.builder()
                .tableName(table.name())
                .segment(segment)
                .totalSegments(segments)
                .limit(limit)
                .filterExpression("#kind = :commit")
                .expressionAttributeNames(Map.of("#kind", EventTable.KIND))
                .expressionAttributeValues(Map.of(":commit", AttributeValue.fromS(EventTable.COMMIT)))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (after != null) {
            scan.exclusiveStartKey(after.key());
        }
        ScanResponse response;
        try {
            response = dynamo.scan(scan.build());
        } catch (ResourceNotFoundException missing) {
            throw new EventTableUnavailableException("there is no table " + table.name(), missing, true);
        } catch (SdkException failure) {
            throw new EventTableUnavailableException("could not scan segment " + segment + " of " + table.name() + ": " + failure.getMessage(), failure, false);
        }
        List<ChangeRecord> commits = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        long position = firstPosition;
        for (Map<String, AttributeValue> item : response.items()) {
            try {
                Optional<List<RecordedEvent>> events = CommitImages.events(item, claims);
                if (events.isPresent()) {
                    commits.add(new ChangeRecord(Long.toString(position++), events.get().getFirst().occurredAt(), events.get()));
                }
            } catch (IllegalStateException malformed) {
                unreadable.add(String.valueOf(malformed.getMessage()));
            }
        }
        double units = response.consumedCapacity() == null || response.consumedCapacity().capacityUnits() == null
                ? 0 : response.consumedCapacity().capacityUnits();
        return new Page(commits, unreadable, response.scannedCount() == null ? response.items().size() : response.scannedCount(), units,
                Position.of(response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null));
    }

    /**
     * About how many items the table holds (DynamoDB updates the figure every six hours or so), for an estimate of a rebuild's length.
     *
     * @throws EventTableUnavailableException when the table does not exist or cannot be described
     */
    public long approximateItems() {
        try {
            Long count = dynamo.describeTable(describe -> describe.tableName(table.name())).table().itemCount();
            return count == null ? 0 : count;
        } catch (ResourceNotFoundException missing) {
            throw new EventTableUnavailableException("there is no table " + table.name(), missing, true);
        } catch (SdkException failure) {
            throw new EventTableUnavailableException("could not describe " + table.name() + ": " + failure.getMessage(), failure, false);
        }
    }

    /** The event table could not be read: it does not exist, or DynamoDB failed (which may pass). */
    public static final class EventTableUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean missing;

        EventTableUnavailableException(String message, Throwable cause, boolean missing) {
            super(message, cause);
            this.missing = missing;
        }

        /** The table does not exist: trying again cannot help. */
        public boolean missing() {
            return missing;
        }
    }
}
