package dev.factline.functions.stream;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The records of one batch that go back to Lambda, and why: the one failure policy of every
 * function on the event table's stream.
 *
 * <p>A failed record stops its stream there: the stream's later records in the batch must wait
 * for Lambda to deliver them again, or they would be applied ahead of it; other streams go on.
 * What a failure stops follows from what its {@link RecordProblem} names: its stream; every stream
 * from the record on when it names none (the record's stream is unknown, or the function cannot
 * go on, out of time); the whole batch when it names no sequence number (the record has no place
 * in the shard). The answer to Lambda is the lowest failed sequence number ({@link RetryPoint}).
 */
public final class StreamFailures {

    private final @Nullable String firstSequenceNumber;
    private final RetryPoint retry = new RetryPoint();
    private final List<RecordProblem> problems = new ArrayList<>();
    /** Per stream, its lowest failed record: the stream's records from there on wait. */
    private final Map<String, String> stoppedAt = new HashMap<>();
    /** The lowest failed record that names no stream: every record from there on waits. */
    private @Nullable String everyStreamStoppedAt;
    private final Set<String> failedRecords = new HashSet<>();
    /** Records without a sequence number cannot be told apart: together they count as one failed record. */
    private boolean recordWithoutSequenceNumberFailed;

    /** The failures of a batch whose first record is {@code firstSequenceNumber} (null: no record has one). */
    public StreamFailures(@Nullable String firstSequenceNumber) {
        this.firstSequenceNumber = firstSequenceNumber;
    }

    public static StreamFailures of(ChangeBatch batch) {
        return new StreamFailures(batch.firstSequenceNumber().orElse(null));
    }

    /** Reports a failed record, with why; it stops what its problem names (see the class). */
    public void failed(RecordProblem problem) {
        String sequenceNumber = problem.sequenceNumber();
        if (sequenceNumber == null) {
            stopEveryStreamAt(batchStart());
            recordWithoutSequenceNumberFailed = true;
            problems.add(problem);
            return;
        }
        problems.add(problem);
        failedRecords.add(sequenceNumber);
        retry.failedAt(sequenceNumber);
        String streamId = problem.streamId();
        if (streamId == null) {
            stopEveryStreamAt(sequenceNumber);
        } else {
            stoppedAt.merge(streamId, sequenceNumber, StreamFailures::lower);
        }
    }

    /** Reports a failure of the batch as a whole ({@code kind}, why): it is all delivered again, from its first record. */
    public void failedFromStart(String kind, String reason) {
        failed(new RecordProblem(kind, batchStart(), null, null, null, reason));
    }

    /**
     * Whether {@code record} must wait for its re-delivery, because a record of its stream, or one
     * that stopped every stream, failed at or before it; a record that waits goes back to Lambda, so
     * it is counted as failed (but listed under the failure it waits behind, not as one of its own).
     */
    public boolean mustWait(ChangeRecord record) {
        String stop = lowerOf(stoppedAt.get(record.streamId().toString()), everyStreamStoppedAt);
        if (stop == null || ChangeRecord.compareSequenceNumbers(record.sequenceNumber(), stop) < 0) {
            return false;
        }
        heldBack(record.sequenceNumber());
        return true;
    }

    /** A record the function gives back behind a failure already reported (its stream's, or one that stopped every stream). */
    public void heldBack(String sequenceNumber) {
        failedRecords.add(sequenceNumber);
        retry.failedAt(sequenceNumber);
    }

    /** Records reported or held back, each once however often it was reported (in several read models, say). */
    public int failedRecords() {
        return failedRecords.size() + (recordWithoutSequenceNumberFailed ? 1 : 0);
    }

    /** Every failure reported, in the order reported; records held back behind one are not listed. */
    public List<RecordProblem> problems() {
        return List.copyOf(problems);
    }

    /** The sequence number Lambda resumes from, if any record failed. */
    public Optional<String> retryFrom() {
        return retry.lowest();
    }

    /** The answer to Lambda: no failures, or exactly one, the lowest. */
    public StreamsEventResponse response() {
        return retry.response();
    }

    private String batchStart() {
        if (firstSequenceNumber == null) {
            // Nothing could be reported, and an answer without failures would drop the batch.
            throw new IllegalStateException("no record of the batch has a sequence number: failing the invocation, so that Lambda retries it whole");
        }
        return firstSequenceNumber;
    }

    private void stopEveryStreamAt(String sequenceNumber) {
        retry.failedAt(sequenceNumber);
        everyStreamStoppedAt = lowerOf(everyStreamStoppedAt, sequenceNumber);
    }

    private static @Nullable String lowerOf(@Nullable String left, @Nullable String right) {
        if (left == null) {
            return right;
        }
        return right == null ? left : lower(left, right);
    }

    private static String lower(String left, String right) {
        return ChangeRecord.compareSequenceNumbers(left, right) <= 0 ? left : right;
    }
}
