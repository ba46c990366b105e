package dev.factline.functions.publisher;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where published records go: one call stores a batch of records, each with a partition key, and
 * answers for each entry, in request order, whether it was stored. Kinesis' {@code PutRecords}
 * is the model ({@link KinesisRecordSink}): entries succeed or fail one by one, and the order in
 * which one call's entries are stored is not promised, so a caller that needs an order must not
 * put two entries that must stay in order into one call.
 */
public interface RecordSink {

    /**
     * Stores {@code records}.
     *
     * @return one result per record, in the order of {@code records}
     * @throws RecordSinkUnavailableException if the call as a whole failed: none, some or all of
     *     the records may have been stored
     */
    List<SinkResult> put(List<SinkRecord> records);

    /** A record to store: the partition key that picks its shard, and its bytes. */
    record SinkRecord(String partitionKey, byte[] data) {

        public SinkRecord {
            if (partitionKey.isEmpty()) {
                throw new IllegalArgumentException("a record needs a partition key");
            }
        }

        /** What the record counts against the limits: the data and the partition key's UTF-8 bytes. */
        public long size() {
            return (long) data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** What became of one entry. */
    sealed interface SinkResult {
    }

    /** Stored, at this place of this shard. */
    record Stored(String shardId, String sequenceNumber) implements SinkResult {
    }

    /** Not stored; another attempt may succeed (Kinesis: throttling, an internal failure, KMS). */
    record Refused(String errorCode, String message) implements SinkResult {
    }
}
