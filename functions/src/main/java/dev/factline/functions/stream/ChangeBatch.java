package dev.factline.functions.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.CommitImages;
import dev.factline.functions.store.EventTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A batch from the event table's stream, read the way every function on it needs: the commits
 * in the order the shard delivered them, the records that are no commit passed over (claims,
 * snapshots, removals by TTL, any update), and the records that cannot be read kept aside with
 * why, so the function can report them by sequence number instead of failing the whole batch.
 */
public record ChangeBatch(
        List<ChangeRecord> commits, List<UnreadableRecord> unreadable, int records, int passedOver, Optional<String> firstSequenceNumber) {

    public ChangeBatch {
        commits = List.copyOf(commits);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * A record that says it is a commit but cannot be turned into events, or has no sequence
     * number (never seen from Lambda; such a record cannot be reported alone, so the whole batch
     * is retried, see {@link StreamFailures}).
     */
    public record UnreadableRecord(@Nullable String sequenceNumber, String reason, Optional<Position> position) {
    }

    /** Where an unreadable commit sits, read from the record's keys when they can be: its stream and first version. */
    public record Position(StreamId streamId, long firstVersion) {
    }

    /**
     * Reads every record of {@code event}, claim-checked payloads fetched by {@code claims} (a
     * record whose payload cannot be fetched or checked is unreadable, its reason naming the
     * event); a null or empty event is an empty batch.
     */
    public static ChangeBatch of(@Nullable DynamodbEvent event, ClaimChecks claims) {
        List<ChangeRecord> commits = new ArrayList<>();
        List<UnreadableRecord> unreadable = new ArrayList<>();
        int passedOver = 0;
        String first = null;
        List<DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbStreamRecord record : records) {
            StreamRecord change = record == null ? null : record.getDynamodb();
            String sequenceNumber = change == null ? null : change.getSequenceNumber();
            if (sequenceNumber == null || sequenceNumber.isBlank()) {
                unreadable.add(new UnreadableRecord(null, "a record without a sequence number", Optional.empty()));
                continue;
            }
            if (first == null) {
                first = sequenceNumber;
            }
            if (!"INSERT".equals(record.getEventName())) {
                passedOver++;
                continue;
            }
            if (change.getNewImage() == null) {
                // Events are only ever inserted: an insert without its image means the stream does not carry
                // new images (KEYS_ONLY, OLD_IMAGE), and passing it over would lose the commit.
                unreadable.add(new UnreadableRecord(sequenceNumber, "an INSERT without its new image: the stream must carry NEW_IMAGE",
                        positionOf(change)));
                continue;
            }
            try {
                Optional<List<RecordedEvent>> events = CommitImages.events(sdkImage(change.getNewImage()), claims);
                if (events.isPresent()) {
                    commits.add(new ChangeRecord(sequenceNumber, writtenAt(change), events.get()));
                } else {
                    passedOver++;
                }
            } catch (RuntimeException unreadableCommit) {
                unreadable.add(new UnreadableRecord(sequenceNumber, String.valueOf(unreadableCommit.getMessage()), positionOf(change)));
            }
        }
        return new ChangeBatch(commits, unreadable, records.size(), passedOver, Optional.ofNullable(first));
    }

    /** The stream and first version in the record's keys, if they are a commit's keys. */
    private static Optional<Position> positionOf(StreamRecord change) {
        try {
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> keys = change.getKeys();
            String partition = keys.get(EventTable.PARTITION_KEY).getS();
            long firstVersion = Long.parseLong(keys.get(EventTable.SORT_KEY).getN());
            return Optional.of(new Position(StreamId.parse(partition), firstVersion));
        } catch (RuntimeException notACommitKey) {
            return Optional.empty();
        }
    }

    /**
     * How long ago DynamoDB wrote the batch's oldest commit, seen from {@code now}: the delay from
     * a command to this function. Records that carry no time are left out; empty without commits.
     */
    public Optional<Duration> lag(Instant now) {
        return commits.stream()
                .map(ChangeRecord::writtenAt)
                .filter(written -> !written.equals(Instant.EPOCH))
                .min(Instant::compareTo)
                .map(oldest -> Duration.between(oldest, now))
                .map(lag -> lag.isNegative() ? Duration.ZERO : lag);
    }

    private static Map<String, AttributeValue> sdkImage(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        return DynamodbAttributeValueTransformer.toAttributeValueMapV2(image);
    }

    /** When DynamoDB wrote the record (whole seconds); the epoch when the record does not say. */
    private static Instant writtenAt(StreamRecord change) {
        Date created = change.getApproximateCreationDateTime();
        return created == null ? Instant.EPOCH : created.toInstant();
    }
}
