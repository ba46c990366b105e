package dev.factline.functions.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.stream.ChangeBatch.UnreadableRecord;
import dev.factline.functions.stream.ChangeRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A batch from the event table's stream as the publisher walks it: {@link ChangeBatch}'s commits
 * and unreadable records, put back in shard order (the order Lambda delivered them in), each
 * unreadable record with the stream it belongs to when its keys say so. The publisher needs the
 * order and the stream: an unreadable commit must hold back its own stream's later commits, and
 * only those.
 */
record ShardBatch(ChangeBatch changes, List<Item> items) {

    ShardBatch {
        items = List.copyOf(items);
    }

    /** A record of the batch, in shard order. */
    sealed interface Item {
        String sequenceNumber();
    }

    /** A commit to publish. */
    record Commit(ChangeRecord change) implements Item {
        @Override
        public String sequenceNumber() {
            return change.sequenceNumber();
        }

        String streamKey() {
            return change.streamId().toString();
        }
    }

    /**
     * A record that says it is a commit but cannot be read. {@code streamKey} is its partition key
     * (the stream id) when the record's keys carry one; {@code null} when not even that is
     * readable, and then no later record of the batch can be published without risking order.
     */
    record Unreadable(String sequenceNumber, @Nullable String streamKey, String reason) implements Item {
    }

    static ShardBatch of(@Nullable DynamodbEvent event, ClaimChecks claims) {
        ChangeBatch changes = ChangeBatch.of(event, claims);
        Map<String, Item> bySequenceNumber = new HashMap<>();
        for (ChangeRecord commit : changes.commits()) {
            bySequenceNumber.put(commit.sequenceNumber(), new Commit(commit));
        }
        Map<String, UnreadableRecord> unreadable = new HashMap<>();
        for (UnreadableRecord record : changes.unreadable()) {
            if (record.sequenceNumber() != null) {
                unreadable.put(record.sequenceNumber(), record);
            }
        }
        List<Item> items = new ArrayList<>(bySequenceNumber.size() + unreadable.size());
        List<DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbStreamRecord record : records) {
            StreamRecord change = record == null ? null : record.getDynamodb();
            String sequenceNumber = change == null ? null : change.getSequenceNumber();
            if (sequenceNumber == null) {
                continue;
            }
            Item commit = bySequenceNumber.get(sequenceNumber);
            UnreadableRecord bad = unreadable.get(sequenceNumber);
            if (commit != null) {
                items.add(commit);
            } else if (bad != null) {
                items.add(new Unreadable(sequenceNumber, partitionKey(change), bad.reason()));
            }
        }
        return new ShardBatch(changes, items);
    }

    /** False when a record had no sequence number: it has no place in the shard, so nothing can be published safely. */
    boolean placeable() {
        return changes.unreadable().stream().allMatch(record -> record.sequenceNumber() != null);
    }

    private static @Nullable String partitionKey(StreamRecord change) {
        Map<String, AttributeValue> keys = change.getKeys();
        AttributeValue key = keys == null ? null : keys.get(EventTable.PARTITION_KEY);
        String value = key == null ? null : key.getS();
        return value == null || value.isBlank() ? null : value;
    }
}
