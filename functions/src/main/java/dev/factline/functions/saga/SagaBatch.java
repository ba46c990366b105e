package dev.factline.functions.saga;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one invocation of the saga function did, counted.
 *
 * @param records stream records delivered
 * @param events events read from the commits handled
 * @param commandsIssued commands the saga committed now
 * @param commandsReplayed commands answered with an earlier commit under their key (a re-delivery)
 * @param commandsRefused commands a rule refused: outcomes, not failures
 * @param compensations commands issued because a rule refused the saga's first one
 * @param failedRecords records that failed for a technical reason (or wait behind one of their stream)
 * @param unreadableRecords commits that could not be read from the stream
 * @param lag now minus the time DynamoDB wrote the oldest commit; null when the batch holds none
 * @param retryFrom the sequence number reported to Lambda, if any
 */
public record SagaBatch(
        int records,
        int events,
        int commandsIssued,
        int commandsReplayed,
        int commandsRefused,
        int compensations,
        int failedRecords,
        int unreadableRecords,
        @Nullable Duration lag,
        @Nullable String retryFrom) {
}
