package dev.factline.functions.publisher;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of the publisher, counted: what the metrics report and the log line carries.
 *
 * @param records the stream records Lambda delivered (commits, records passed over, unreadable ones)
 * @param commits the records that were commits
 * @param eventsPublished events stored on Kinesis by this invocation (an event sent twice because a
 *     call failed as a whole counts once)
 * @param putRecordsCalls calls to {@code PutRecords}
 * @param entriesRetried entries sent again after a refusal or a failed call
 * @param entriesRefused entries refused (each attempt counts; every entry of a failed call counts)
 * @param recordsFailed records not fully published, reported to Lambda for another delivery
 * @param unreadableRecords records that say they are commits but cannot be read
 * @param unpublishableEvents events that no attempt can publish
 * @param lag now minus the time DynamoDB wrote the batch's oldest commit (whole seconds, as the stream
 *     gives it); {@code null} for a batch without commits
 * @param retryFrom the sequence number Lambda is told to resume from, if any
 */
public record PublishedBatch(
        int records,
        int commits,
        int eventsPublished,
        int putRecordsCalls,
        int entriesRetried,
        int entriesRefused,
        int recordsFailed,
        int unreadableRecords,
        int unpublishableEvents,
        @Nullable Duration lag,
        Optional<String> retryFrom) {
}
