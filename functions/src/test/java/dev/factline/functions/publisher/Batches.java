package dev.factline.functions.publisher;

import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.publisher.ShardBatch.Commit;
import dev.factline.functions.publisher.ShardBatch.Item;
import dev.factline.functions.publisher.ShardBatch.Unreadable;
import dev.factline.functions.stream.ChangeBatch;
import dev.factline.functions.stream.ChangeBatch.UnreadableRecord;
import dev.factline.functions.stream.ChangeRecord;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Batches of the event table's stream as the publisher's planner receives them, for the unit
 * tests of ordering: commits of chosen streams with gap-free versions, and unreadable records, at
 * increasing sequence numbers. (The integration tests read real batches off dynalite's stream.)
 */
final class Batches {

    static final Instant WRITTEN_AT = Instant.parse("2026-03-01T10:00:00Z");

    private final List<Item> items = new ArrayList<>();
    private final Map<String, Long> versions = new HashMap<>();
    private long sequence = 4_000_000_000_000_000L;

    /** A stream id for the tests: {@code account#<name>}. */
    static String stream(String name) {
        return StreamId.of("account", name).toString();
    }

    /** A commit of {@code events} events of {@code stream}, payloads {@code {"n":<version>}}. */
    Batches commit(String stream, int events) {
        return commit(stream, events, version -> "{\"n\":" + version + "}");
    }

    /** A commit whose events carry the payloads {@code payload} gives for their versions. */
    Batches commit(String stream, int events, LongFunction<String> payload) {
        StreamId id = StreamId.parse(stream);
        long first = versions.getOrDefault(stream, 0L) + 1;
        List<RecordedEvent> recorded = new ArrayList<>();
        for (long version = first; version < first + events; version++) {
            recorded.add(new RecordedEvent(UUID.randomUUID(), id, version, "Counted", 1, WRITTEN_AT, payload.apply(version),
                    new EventMetadata("cmd-" + version, "corr-" + stream, null)));
        }
        versions.put(stream, first + events - 1);
        items.add(new Commit(new ChangeRecord(nextSequenceNumber(), WRITTEN_AT, recorded)));
        return this;
    }

    /**
     * A record that says it is a commit of {@code stream} but cannot be read ({@code null}: not even
     * its keys). It takes up its stream's next version, as the commit it was would have.
     */
    Batches unreadable(@Nullable String stream) {
        if (stream != null) {
            versions.merge(stream, 1L, Long::sum);
        }
        items.add(new Unreadable(nextSequenceNumber(), stream, "commit item without events"));
        return this;
    }

    /** The last version given to {@code stream}. */
    long versions(String stream) {
        return versions.getOrDefault(stream, 0L);
    }

    /** The whole batch. */
    ShardBatch build() {
        return batchOf(items);
    }

    /** What Lambda delivers again after the answer named {@code sequenceNumber}: it and every record after it. */
    ShardBatch from(String sequenceNumber) {
        BigInteger from = new BigInteger(sequenceNumber);
        return batchOf(items.stream().filter(item -> new BigInteger(item.sequenceNumber()).compareTo(from) >= 0).toList());
    }

    /** The sequence number of the {@code index}-th record (0-based). */
    String sequenceNumber(int index) {
        return items.get(index).sequenceNumber();
    }

    private static ShardBatch batchOf(List<Item> items) {
        List<ChangeRecord> commits = new ArrayList<>();
        List<UnreadableRecord> unreadable = new ArrayList<>();
        for (Item item : items) {
            switch (item) {
                case Commit commit -> commits.add(commit.change());
                case Unreadable record -> unreadable.add(new UnreadableRecord(record.sequenceNumber(), record.reason(), Optional.empty()));
            }
        }
        Optional<String> first = items.isEmpty() ? Optional.empty() : Optional.of(items.getFirst().sequenceNumber());
        return new ShardBatch(new ChangeBatch(commits, unreadable, items.size(), 0, first), items);
    }

    private String nextSequenceNumber() {
        sequence += 17;
        return String.format("%021d", sequence);
    }
}
