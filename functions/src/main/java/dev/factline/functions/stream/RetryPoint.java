package dev.factline.functions.stream;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where Lambda must resume a shard: the lowest sequence number among the records that failed.
 * With {@code ReportBatchItemFailures}, Lambda checkpoints just before the one sequence number
 * reported and delivers everything from it again, so reporting the lowest keeps every failed
 * record and drops none; records after it that did succeed come again and must be (and are)
 * recognised as duplicates.
 */
public final class RetryPoint {

    private @Nullable String lowest;

    /** Marks a record as failed. */
    public void failedAt(String sequenceNumber) {
        if (sequenceNumber.isBlank()) {
            throw new IllegalArgumentException("a failed record needs its sequence number");
        }
        if (lowest == null || ChangeRecord.compareSequenceNumbers(sequenceNumber, lowest) < 0) {
            lowest = sequenceNumber;
        }
    }

    public Optional<String> lowest() {
        return Optional.ofNullable(lowest);
    }

    /** The answer to Lambda: no failures, or exactly one, the lowest. */
    public StreamsEventResponse response() {
        return lowest == null
                ? new StreamsEventResponse(List.of())
                : new StreamsEventResponse(List.of(new BatchItemFailure(lowest)));
    }
}
