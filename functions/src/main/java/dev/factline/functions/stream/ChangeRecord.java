package dev.factline.functions.stream;

import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One commit as the event table's stream delivered it: the events a command appended, in
 * version order, with the record's sequence number (its place in the shard) and the time
 * DynamoDB wrote it.
 */
public record ChangeRecord(String sequenceNumber, Instant writtenAt, List<RecordedEvent> events) {

    public ChangeRecord {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(writtenAt, "writtenAt");
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a change record carries at least one event");
        }
    }

    public StreamId streamId() {
        return events.getFirst().streamId();
    }

    public long firstVersion() {
        return events.getFirst().version();
    }

    public long lastVersion() {
        return events.getLast().version();
    }

    /** Sequence numbers are decimal strings of growing length: compare them as numbers. */
    public static int compareSequenceNumbers(String left, String right) {
        return new BigInteger(left).compareTo(new BigInteger(right));
    }
}
