package dev.factline.functions.publisher;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The {@link RecordSink} on a Kinesis data stream: one {@code PutRecords} call per {@link #put}.
 * An entry with an error code in the answer is {@link RecordSink.Refused}; a call that fails as a
 * whole (after the SDK's own retries) is a {@link RecordSinkUnavailableException}, so no AWS
 * exception type leaves this class.
 */
public final class KinesisRecordSink implements RecordSink {

    private final KinesisClient kinesis;
    private final String streamName;

    public KinesisRecordSink(KinesisClient kinesis, String streamName) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.streamName = Objects.requireNonNull(streamName, "streamName");
    }

    @Override
    public List<SinkResult> put(List<SinkRecord> records) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(record.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(record.data()))
                    .build());
        }
        PutRecordsResponse response;
        try {
            response = kinesis.putRecords(PutRecordsRequest.builder().streamName(streamName).records(entries).build());
        } catch (SdkException failed) {
            throw new RecordSinkUnavailableException("PutRecords of " + records.size() + " records to Kinesis stream "
                    + streamName + " failed: " + failed.getMessage(), failed);
        }
        if (response.records().size() != records.size()) {
            throw new RecordSinkUnavailableException("PutRecords to Kinesis stream " + streamName + " answered "
                    + response.records().size() + " results for " + records.size() + " records");
        }
        List<SinkResult> results = new ArrayList<>(records.size());
        for (PutRecordsResultEntry result : response.records()) {
            results.add(result.errorCode() == null
                    ? new Stored(result.shardId(), result.sequenceNumber())
                    : new Refused(result.errorCode(), String.valueOf(result.errorMessage())));
        }
        return results;
    }

    @Override
    public String toString() {
        return "Kinesis stream " + streamName;
    }
}
