package dev.factline.functions.rebuild;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;
import static dev.factline.functions.view.ReadTable.VERSION;
import static dev.factline.functions.view.ReadTable.VIEW;

import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ReadTableUnavailableException;
import dev.factline.functions.view.TallyRows;
import dev.factline.functions.view.ViewRow;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Two versions of a read model compared row for row: every view row of the left one with the
 * right one's row of the same stream (one Scan of the left rows, a BatchGetItem of their
 * counterparts per page, so memory stays a page whatever the table holds), then a count of the
 * right rows, and each tally's summed counters. What tests and {@code factline-replay diff} use
 * to show that a rebuilt version equals the live one, and what a cutover checks: that the new
 * version is not behind the one served on any stream.
 */
public final class ReadModelDiff {

    private static final int PAGE = 100;
    private static final int EXAMPLES = 10;

    /**
     * @param same rows of the left whose right counterpart is at the same version with the same view
     * @param differ rows of both whose version or view differ
     * @param onlyLeft left rows without a right counterpart
     * @param onlyRight right rows without a left counterpart
     * @param behind left rows whose right counterpart is missing or at a lower version
     * @param behindEvents the events by which the right one is behind, over those rows
     * @param mostBehind the most events by which the right one is behind on one stream
     * @param talliesDiffer names of the tallies whose sums differ
     * @param examples a few keys that differ, with how
     */
    public record Report(String left, String right, long leftRows, long rightRows, long same, long differ, long onlyLeft, long onlyRight,
            long behind, long behindEvents, long mostBehind, List<String> talliesDiffer, List<String> examples) {

        public boolean identical() {
            return differ == 0 && onlyLeft == 0 && onlyRight == 0 && talliesDiffer.isEmpty();
        }
    }

    /**
     * A view row as stored: its view's JSON or, for a large view, its claim check. Views are compared
     * as stored: equal views have equal claims (the digest of the same text), so no blob is fetched,
     * and a diff needs no payload bucket.
     */
    private record StoredRow(String key, long version, AttributeValue view) {

        static StoredRow of(Map<String, AttributeValue> item) {
            ViewRow.requireViewRow(item);
            return new StoredRow(item.get(PARTITION_KEY).s(), Long.parseLong(item.get(VERSION).n()), item.get(VIEW));
        }
    }

    private final DynamoDbClient dynamo;
    private final ReadTable table;

    public ReadModelDiff(DynamoDbClient dynamo, ReadTable table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** {@code left} against {@code right} (both of the same streams), and their tallies in {@code hosted} by name. */
    public Report compare(StreamView<?, ?> left, StreamView<?, ?> right, ReadModels hosted) {
        if (!left.streamType().equals(right.streamType())) {
            throw new IllegalArgumentException(left.space() + " follows " + left.streamType() + " streams and " + right.space() + " "
                    + right.streamType() + " streams: there is nothing to compare");
        }
        String leftPrefix = left.space() + "/";
        String rightPrefix = right.space() + "/";
        long leftRows = 0;
        long same = 0;
        long differ = 0;
        long onlyLeft = 0;
        long behind = 0;
        long behindEvents = 0;
        long mostBehind = 0;
        List<String> examples = new ArrayList<>();
        Map<String, AttributeValue> from = null;
        do {
            ScanResponse page = scan(leftPrefix, from);
            List<StoredRow> rows = page.items().stream().map(StoredRow::of).toList();
            Map<String, StoredRow> counterparts = counterparts(rows, leftPrefix, rightPrefix);
            for (StoredRow row : rows) {
                leftRows++;
                String stream = row.key().substring(leftPrefix.length());
                StoredRow other = counterparts.get(rightPrefix + stream);
                if (other == null) {
                    onlyLeft++;
                    behind++;
                    behindEvents += row.version();
                    mostBehind = Math.max(mostBehind, row.version());
                    example(examples, stream + ": only in " + left.space() + " (version " + row.version() + ")");
                } else if (other.version() == row.version() && other.view().equals(row.view())) {
                    same++;
                } else {
                    differ++;
                    if (other.version() < row.version()) {
                        behind++;
                        behindEvents += row.version() - other.version();
                        mostBehind = Math.max(mostBehind, row.version() - other.version());
                    }
                    example(examples, stream + ": version " + row.version() + " against " + other.version()
                            + (other.view().equals(row.view()) ? "" : ", views differ"));
                }
            }
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        long rightRows = count(rightPrefix);
        List<String> talliesDiffer = new ArrayList<>();
        for (Tally<?> leftTally : hosted.talliesOf(left)) {
            hosted.talliesOf(right).stream().filter(tally -> tally.name().equals(leftTally.name())).findFirst().ifPresent(rightTally -> {
                if (!sum(leftTally).equals(sum(rightTally))) {
                    talliesDiffer.add(leftTally.name());
                }
            });
        }
        return new Report(left.space(), right.space(), leftRows, rightRows, same, differ, onlyLeft, rightRows - same - differ,
                behind, behindEvents, mostBehind, List.copyOf(talliesDiffer), List.copyOf(examples));
    }

    private ScanResponse scan(String prefix, @Nullable Map<String, AttributeValue> from) {
        ScanRequest.Builder scan = ScanRequest.builder().tableName(table.name()).consistentRead(true)
                .filterExpression("begins_with(#pk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PARTITION_KEY))
                .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(prefix)));
        if (from != null) {
            scan.exclusiveStartKey(from);
        }
        return reading("scan " + prefix, () -> dynamo.scan(scan.build()));
    }

    private long count(String prefix) {
        long rows = 0;
        Map<String, AttributeValue> from = null;
        do {
            ScanResponse page = scan(prefix, from);
            rows += page.items().size();
            from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (from != null);
        return rows;
    }

    private Map<String, StoredRow> counterparts(List<StoredRow> rows, String leftPrefix, String rightPrefix) {
        Map<String, StoredRow> found = new HashMap<>();
        for (int start = 0; start < rows.size(); start += PAGE) {
            List<Map<String, AttributeValue>> keys = rows.subList(start, Math.min(rows.size(), start + PAGE)).stream()
                    .map(row -> ViewRow.keyOf(rightPrefix + row.key().substring(leftPrefix.length()))).toList();
            batchGet(keys).forEach(item -> found.put(item.get(PARTITION_KEY).s(), StoredRow.of(item)));
        }
        return found;
    }

    private SortedMap<String, BigInteger> sum(Tally<?> tally) {
        return TallyRows.sum(batchGet(tally.shardKeys().stream().map(ViewRow::keyOf).toList()));
    }

    /** The items at {@code keys} (at most 100) that exist, read consistently, asking again for what DynamoDB held back. */
    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, KeysAndAttributes> wanted = Map.of(table.name(), KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (!wanted.isEmpty()) {
            Map<String, KeysAndAttributes> asked = wanted;
            BatchGetItemResponse response = reading("read rows to compare", () -> dynamo.batchGetItem(get -> get.requestItems(asked)));
            found.addAll(response.responses().getOrDefault(table.name(), List.of()));
            wanted = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    private static void example(List<String> examples, String example) {
        if (examples.size() < EXAMPLES) {
            examples.add(example);
        }
    }

    private <T> T reading(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not " + what + " in " + table.name() + ": " + failure.getMessage(), failure);
        }
    }
}
