package dev.factline.functions.publisher;

/**
 * What one {@code PutRecords} call may carry: at most {@code recordsPerCall} records and
 * {@code bytesPerCall} bytes, each record at most {@code bytesPerRecord}; a record's size is its
 * data plus its partition key, as Kinesis counts it.
 *
 * <p>{@link #kinesis()} are Kinesis' quotas for a stream with the default maximum record size:
 * 500 records, 5 MiB a call, 1 MiB a record. Tests lower them to exercise the limits with small
 * events.
 */
public record PublishLimits(int recordsPerCall, long bytesPerCall, long bytesPerRecord) {

    public static final int KINESIS_RECORDS_PER_CALL = 500;
    public static final long KINESIS_BYTES_PER_CALL = 5L * 1024 * 1024;
    public static final long KINESIS_BYTES_PER_RECORD = 1024L * 1024;

    public PublishLimits {
        if (recordsPerCall < 1 || recordsPerCall > KINESIS_RECORDS_PER_CALL) {
            throw new IllegalArgumentException("records per call must be 1-" + KINESIS_RECORDS_PER_CALL + ", but was " + recordsPerCall);
        }
        if (bytesPerRecord < 1 || bytesPerCall < bytesPerRecord) {
            throw new IllegalArgumentException("limits need 0 < bytes per record <= bytes per call, but got "
                    + bytesPerRecord + " and " + bytesPerCall);
        }
    }

    public static PublishLimits kinesis() {
        return new PublishLimits(KINESIS_RECORDS_PER_CALL, KINESIS_BYTES_PER_CALL, KINESIS_BYTES_PER_RECORD);
    }
}
