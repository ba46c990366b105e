package dev.factline.functions.rebuild;

import static dev.factline.functions.view.ReadTable.PARTITION_KEY;

import dev.factline.functions.rebuild.EventTableScan.Position;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ReadTableUnavailableException;
import dev.factline.functions.view.ViewRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * A rebuild's durable state in the read table, beside the rows it writes:
 * <ul>
 *   <li>{@code rebuild#<space>}: the run, its number of segments, {@code running} or
 *       {@code complete}, and a lease (an owner and a time) that one process at a time holds;
 *   <li>{@code rebuild#<space>/<segment>}: each segment's checkpoint, where its scan stands and what it did.
 * </ul>
 * A process killed at any point leaves checkpoints that are at most one page behind what it wrote;
 * the page read again is folded onto the rows it already wrote, whose versions skip it. A second
 * process is refused while the lease holds, and takes over when it lapses (the first died).
 */
public final class RebuildLedger {

    static final String PREFIX = "rebuild#";
    public static final String RUNNING = "running";
    public static final String COMPLETE = "complete";
    /** The most keys one BatchGetItem takes. */
    private static final int BATCH_GET_KEYS = 100;

    /** A run of a rebuild, as its row says. */
    public record Run(String space, int segments, String state, String owner, Instant leaseUntil, Instant startedAt,
            @Nullable Instant completedAt) {

        public boolean complete() {
            return COMPLETE.equals(state);
        }
    }

    /** Where a segment stands, and what it did so far. */
    public record Checkpoint(int segment, @Nullable Position after, boolean done, long commits, long events, long itemsRead,
            double readUnits, long rowsWritten, long problems) {

        static Checkpoint start(int segment) {
            return new Checkpoint(segment, null, false, 0, 0, 0, 0, 0, 0);
        }
    }

    /** The run is held by another process, or was started differently: nothing was written. */
    public static final class RebuildRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RebuildRefusedException(String message) {
            super(message);
        }
    }

    private final DynamoDbClient dynamo;
    private final ReadTable table;

    public RebuildLedger(DynamoDbClient dynamo, ReadTable table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    static String runKey(String space) {
        return PREFIX + space;
    }

    static String checkpointKey(String space, int segment) {
        return PREFIX + space + "/" + segment;
    }

    /** The run of {@code space}'s rebuild, if one was ever started. */
    public Optional<Run> run(String space) {
        Map<String, AttributeValue> item = writing("read the rebuild of " + space, () -> dynamo.getItem(get -> get.tableName(table.name())
                .key(ViewRow.keyOf(runKey(space))).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(runOf(space, item));
    }

    /**
     * The runs of those of {@code spaces} ever rebuilt, by space, in the order asked: one
     * eventually consistent BatchGetItem per 100 spaces (a page that watches rebuilds, not a step of one).
     *
     * @throws ReadTableUnavailableException when the read table fails or holds keys back
     */
    public Map<String, Run> runs(Collection<String> spaces) {
        List<String> asked = spaces.stream().distinct().toList();
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        for (int from = 0; from < asked.size(); from += BATCH_GET_KEYS) {
            List<Map<String, AttributeValue>> keys = asked.subList(from, Math.min(asked.size(), from + BATCH_GET_KEYS)).stream()
                    .map(space -> ViewRow.keyOf(runKey(space))).toList();
            BatchGetItemResponse response = writing("read the rebuilds", () -> dynamo.batchGetItem(get -> get.requestItems(
                    Map.of(table.name(), KeysAndAttributes.builder().keys(keys).build()))));
            if (response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()) {
                throw new ReadTableUnavailableException("DynamoDB held back rebuild rows of " + table.name());
            }
            response.responses().getOrDefault(table.name(), List.of())
                    .forEach(item -> found.put(item.get(PARTITION_KEY).s().substring(PREFIX.length()), item));
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        asked.stream().filter(found::containsKey).forEach(space -> runs.put(space, runOf(space, found.get(space))));
        return runs;
    }

    /**
     * Starts the rebuild of {@code space} in {@code segments}, or resumes it: takes the lease for
     * {@code owner} until {@code now + lease}. A complete run is returned as it is.
     *
     * @throws RebuildRefusedException when another owner holds the lease, or the run has another number of segments
     */
    public Run acquire(String space, int segments, String owner, Instant now, Duration lease) {
        Instant until = now.plus(lease);
        Map<String, String> names = Map.of("#segments", "segments", "#state", "state", "#owner", "owner", "#lease", "leaseUntil",
                "#started", "startedAt");
        Map<String, AttributeValue> values = Map.of(":segments", number(segments), ":running", AttributeValue.fromS(RUNNING),
                ":owner", AttributeValue.fromS(owner), ":until", number(until.toEpochMilli()), ":now", number(now.toEpochMilli()),
                ":started", AttributeValue.fromS(now.toString()), ":complete", AttributeValue.fromS(COMPLETE));
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(update -> update.tableName(table.name()).key(ViewRow.keyOf(runKey(space)))
                    .updateExpression("SET #segments = :segments, #state = if_not_exists(#state, :running), #owner = :owner, "
                            + "#lease = :until, #started = if_not_exists(#started, :started)")
                    .conditionExpression("attribute_not_exists(#segments) OR (#segments = :segments AND #state <> :complete "
                            + "AND (#owner = :owner OR #lease < :now))")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return runOf(space, item);
        } catch (ConditionalCheckFailedException refused) {
            Run current = refused.hasItem() ? runOf(space, refused.item()) : run(space).orElseThrow(() -> refused);
            if (current.complete()) {
                return current;
            }
            if (current.segments() != segments) {
                throw new RebuildRefusedException("the rebuild of " + space + " was started with " + current.segments()
                        + " segments; resume it with --segments " + current.segments());
            }
            throw new RebuildRefusedException("a rebuild of " + space + " is running (" + current.owner() + ", lease until "
                    + current.leaseUntil() + "): wait for it to finish, or for its lease to lapse if it died");
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not start the rebuild of " + space + ": " + failure.getMessage(), failure);
        }
    }

    /** Extends {@code owner}'s lease; false when another owner took the run over (this one's lapsed). */
    public boolean renew(String space, String owner, Instant until) {
        try {
            dynamo.updateItem(update -> update.tableName(table.name()).key(ViewRow.keyOf(runKey(space)))
                    .updateExpression("SET #lease = :until")
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#lease", "leaseUntil", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":until", number(until.toEpochMilli()), ":owner", AttributeValue.fromS(owner))));
            return true;
        } catch (ConditionalCheckFailedException takenOver) {
            return false;
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not renew the lease on the rebuild of " + space + ": " + failure.getMessage(), failure);
        }
    }

    /** Marks the run complete (every segment done) and gives up the lease. */
    public void complete(String space, String owner, Instant now) {
        writing("complete the rebuild of " + space, () -> dynamo.updateItem(update -> update.tableName(table.name())
                .key(ViewRow.keyOf(runKey(space)))
                .updateExpression("SET #state = :complete, #completed = :now, #lease = :zero")
                .conditionExpression("#owner = :owner")
                .expressionAttributeNames(Map.of("#state", "state", "#completed", "completedAt", "#lease", "leaseUntil", "#owner", "owner"))
                .expressionAttributeValues(Map.of(":complete", AttributeValue.fromS(COMPLETE), ":now", AttributeValue.fromS(now.toString()),
                        ":zero", number(0), ":owner", AttributeValue.fromS(owner)))));
    }

    /** The checkpoints of every segment, a fresh one where a segment has none yet. */
    public List<Checkpoint> checkpoints(String space, int segments) {
        List<Checkpoint> checkpoints = new ArrayList<>(segments);
        for (int segment = 0; segment < segments; segment++) {
            checkpoints.add(checkpoint(space, segment));
        }
        return checkpoints;
    }

    /** The checkpoint of {@code segment}, a fresh one when it has none yet. */
    public Checkpoint checkpoint(String space, int segment) {
        Map<String, AttributeValue> item = writing("read a checkpoint of " + space, () -> dynamo.getItem(get -> get.tableName(table.name())
                .key(ViewRow.keyOf(checkpointKey(space, segment))).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Checkpoint.start(segment) : checkpointOf(segment, item);
    }

    public void save(String space, Checkpoint checkpoint) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PARTITION_KEY, AttributeValue.fromS(checkpointKey(space, checkpoint.segment())));
        if (checkpoint.after() != null) {
            item.put("afterStream", AttributeValue.fromS(checkpoint.after().streamId()));
            // Named for the versions it held before snapshots ended pages; a sort key, kept for checkpoints saved then.
            item.put("afterVersion", AttributeValue.fromN(checkpoint.after().sortKey()));
        }
        item.put("done", AttributeValue.fromBool(checkpoint.done()));
        item.put("commits", number(checkpoint.commits()));
        item.put("events", number(checkpoint.events()));
        item.put("itemsRead", number(checkpoint.itemsRead()));
        item.put("readUnits", AttributeValue.fromN(Double.toString(checkpoint.readUnits())));
        item.put("rowsWritten", number(checkpoint.rowsWritten()));
        item.put("problems", number(checkpoint.problems()));
        writing("save a checkpoint of " + space, () -> dynamo.putItem(put -> put.tableName(table.name()).item(item)));
    }

    private static Run runOf(String space, Map<String, AttributeValue> item) {
        return new Run(space, Integer.parseInt(item.get("segments").n()), item.get("state").s(), item.get("owner").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())), Instant.parse(item.get("startedAt").s()),
                item.containsKey("completedAt") ? Instant.parse(item.get("completedAt").s()) : null);
    }

    private static Checkpoint checkpointOf(int segment, Map<String, AttributeValue> item) {
        Position after = item.containsKey("afterStream")
                ? new Position(item.get("afterStream").s(), item.get("afterVersion").n()) : null;
        return new Checkpoint(segment, after, Boolean.TRUE.equals(item.get("done").bool()), longOf(item, "commits"), longOf(item, "events"),
                longOf(item, "itemsRead"), Double.parseDouble(item.get("readUnits").n()), longOf(item, "rowsWritten"), longOf(item, "problems"));
    }

    private static long longOf(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private <T> T writing(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException failure) {
            throw new ReadTableUnavailableException("could not " + what + " in " + table.name() + ": " + failure.getMessage(), failure);
        }
    }
}
