package dev.factline.functions.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.functions.store.CommitImages;
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
     * is retried, see {@link RetryPoint#failedFromStart}).
     */
    public record UnreadableRecord(@Nullable String sequenceNumber, String reason) {
    }

    /** Reads every record of {@code event}; a null or empty event is an empty batch. */
    public static ChangeBatch of(@Nullable DynamodbEvent event) {
        List<ChangeRecord> commits = new ArrayList<>();
        List<UnreadableRecord> unreadable = new ArrayList<>();
        int passedOver = 0;
        String first = null;
        List<DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbStreamRecord record : records) {
            StreamRecord change = record == null ? null : record.getDynamodb();
            String sequenceNumber = change == null ? null : change.getSequenceNumber();
            if (sequenceNumber == null || sequenceNumber.isBlank()) {
                unreadable.add(new UnreadableRecord(null, "a record without a sequence number"));
                continue;
            }
            if (first == null) {
                first = sequenceNumber;
            }
            if (!"INSERT".equals(record.getEventName()) || change.getNewImage() == null) {
                passedOver++;
                continue;
            }
            try {
                Optional<List<RecordedEvent>> events = CommitImages.events(sdkImage(change.getNewImage()));
                if (events.isPresent()) {
                    commits.add(new ChangeRecord(sequenceNumber, writtenAt(change), events.get()));
                } else {
                    passedOver++;
                }
            } catch (RuntimeException unreadableCommit) {
                unreadable.add(new UnreadableRecord(sequenceNumber, String.valueOf(unreadableCommit.getMessage())));
            }
        }
        return new ChangeBatch(commits, unreadable, records.size(), passedOver, Optional.ofNullable(first));
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
