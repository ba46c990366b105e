package dev.factline.functions.publisher;

import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.functions.publisher.PublishReport.Kind;
import dev.factline.functions.publisher.PublishReport.Problem;
import dev.factline.functions.publisher.RecordSink.Refused;
import dev.factline.functions.publisher.RecordSink.SinkRecord;
import dev.factline.functions.publisher.RecordSink.SinkResult;
import dev.factline.functions.publisher.RecordSink.Stored;
import dev.factline.functions.publisher.ShardBatch.Commit;
import dev.factline.functions.publisher.ShardBatch.Item;
import dev.factline.functions.publisher.ShardBatch.Unreadable;
import dev.factline.functions.stream.RetryPoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Publishes a batch's events to a {@link RecordSink} keeping each stream's version order, with at
 * most one event of a stream in any one call (see {@link PublisherFunction} for why and for the
 * guarantee).
 *
 * <p>Each stream's events wait in a queue in version order. A call takes the head of every queue,
 * in the order the streams first appear in the batch, up to the call's record and byte limits
 * (a head that does not fit waits for the next call). A stored head leaves its queue, so that
 * stream's next event goes in the next call; a refused head stays and is sent again, after a
 * backoff, up to the policy's attempts; then its stream is given up for this batch: the stream's
 * remaining events are not sent and their records are reported. Other streams go on.
 *
 * <p>Before anything is sent, the batch is walked in shard order: an unreadable record or an
 * unpublishable event is reported and holds back every later record of its stream (of the whole
 * batch when the unreadable record names no stream), since publishing those would put later
 * versions ahead of it.
 */
final class OrderedPublisher {

    private static final String CALL_FAILED = "CallFailed";

    private final RecordSink sink;
    private final PublishLimits limits;
    private final PublishPolicy policy;

    OrderedPublisher(RecordSink sink, PublishLimits limits, PublishPolicy policy) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    PublishReport publish(ShardBatch batch, Deadline deadline) {
        Run run = new Run();
        if (!batch.placeable()) {
            run.unplaceable(batch);
        } else {
            run.plan(batch.items());
            run.send(deadline);
        }
        return run.report();
    }

    /** An event waiting to be published, with the record (commit) it came in. */
    private static final class Pending {
        final RecordedEvent event;
        final String sequenceNumber;
        final SinkRecord record;
        int attempts;
        String lastError = "";

        Pending(RecordedEvent event, String sequenceNumber, SinkRecord record) {
            this.event = event;
            this.sequenceNumber = sequenceNumber;
            this.record = record;
        }

        String streamKey() {
            return record.partitionKey();
        }
    }

    /** One batch's publication: the queues, and what happened. */
    private final class Run {
        private final Map<String, ArrayDeque<Pending>> queues = new LinkedHashMap<>();
        private final RetryPoint retryPoint = new RetryPoint();
        private final Set<String> failedRecords = new LinkedHashSet<>();
        private final List<Problem> problems = new ArrayList<>();
        private int published;
        private int calls;
        private int retried;
        private int refused;
        private int held;
        private int unreadable;
        private int unpublishable;

        void unplaceable(ShardBatch batch) {
            String first = batch.changes().firstSequenceNumber().orElseThrow(() -> new IllegalStateException(
                    "no record of the batch has a sequence number: failing the invocation, so that Lambda retries it whole"));
            retryPoint.failedFromStart(batch.changes());
            failedRecords.add(first);
            problems.add(new Problem(Kind.UNPLACEABLE, first, null, null,
                    "a record of the batch has no sequence number, so nothing is published and the whole batch is retried"));
        }

        /** Queues the events in shard order, stopping each stream at its first record that cannot go. */
        void plan(List<Item> items) {
            Set<String> blocked = new HashSet<>();
            boolean blockAll = false;
            for (Item item : items) {
                if (blockAll) {
                    hold(item.sequenceNumber());
                    continue;
                }
                switch (item) {
                    case Unreadable record -> {
                        unreadable++;
                        fail(record.sequenceNumber());
                        problems.add(new Problem(Kind.UNREADABLE, record.sequenceNumber(), record.streamKey(), null, record.reason()));
                        if (record.streamKey() == null) {
                            blockAll = true;
                        } else {
                            blocked.add(record.streamKey());
                        }
                    }
                    case Commit commit -> {
                        if (blocked.contains(commit.streamKey())) {
                            hold(commit.sequenceNumber());
                        } else if (!queue(commit)) {
                            blocked.add(commit.streamKey());
                        }
                    }
                }
            }
        }

        /** Queues a commit's events; false when one of them cannot be published (the events before it are queued). */
        private boolean queue(Commit commit) {
            for (RecordedEvent event : commit.change().events()) {
                SinkRecord record;
                try {
                    record = record(event);
                } catch (UnpublishableEventException poison) {
                    unpublishable++;
                    fail(commit.sequenceNumber());
                    problems.add(new Problem(Kind.UNPUBLISHABLE, commit.sequenceNumber(), commit.streamKey(), event.version(),
                            String.valueOf(poison.getMessage())));
                    return false;
                }
                queues.computeIfAbsent(commit.streamKey(), key -> new ArrayDeque<>())
                        .add(new Pending(event, commit.sequenceNumber(), record));
            }
            return true;
        }

        private SinkRecord record(RecordedEvent event) {
            SinkRecord record = new SinkRecord(event.streamId().toString(), EventEnvelopes.encode(event));
            if (record.size() > limits.bytesPerRecord()) {
                throw new UnpublishableEventException(EventEnvelopes.describe(event) + " makes a record of " + record.size()
                        + " bytes (envelope and partition key), over the " + limits.bytesPerRecord() + " bytes a record may hold");
            }
            return record;
        }

        /** Calls the sink until every queue is empty or given up, or time runs short. */
        void send(Deadline deadline) {
            while (!queues.isEmpty()) {
                if (deadline.passed()) {
                    abandonAll();
                    return;
                }
                List<Pending> call = nextCall();
                List<SinkResult> results = put(call);
                int mostAttempts = 0;
                for (int i = 0; i < call.size(); i++) {
                    Pending entry = call.get(i);
                    switch (results.get(i)) {
                        case Stored stored -> {
                            published++;
                            ArrayDeque<Pending> queue = queues.get(entry.streamKey());
                            queue.poll();
                            if (queue.isEmpty()) {
                                queues.remove(entry.streamKey());
                            }
                        }
                        case Refused refusal -> {
                            refused++;
                            entry.attempts++;
                            entry.lastError = refusal.errorCode() + ": " + refusal.message();
                            if (entry.attempts >= policy.attemptsPerEvent()) {
                                giveUp(entry);
                            } else {
                                mostAttempts = Math.max(mostAttempts, entry.attempts);
                            }
                        }
                    }
                }
                if (mostAttempts > 0 && !queues.isEmpty()) {
                    policy.backoff().pause(mostAttempts);
                }
            }
        }

        /** The head of each queue, in first-appearance order, as many as the call's limits allow. */
        private List<Pending> nextCall() {
            List<Pending> call = new ArrayList<>(Math.min(queues.size(), limits.recordsPerCall()));
            long bytes = 0;
            for (ArrayDeque<Pending> queue : queues.values()) {
                if (call.size() == limits.recordsPerCall()) {
                    break;
                }
                Pending head = Objects.requireNonNull(queue.peek());
                if (bytes + head.record.size() <= limits.bytesPerCall()) {
                    call.add(head);
                    bytes += head.record.size();
                }
            }
            return call;
        }

        /** One sink call; a call that failed as a whole counts as a refusal of each of its entries. */
        private List<SinkResult> put(List<Pending> call) {
            List<SinkRecord> records = new ArrayList<>(call.size());
            for (Pending entry : call) {
                records.add(entry.record);
                if (entry.attempts > 0) {
                    retried++;
                }
            }
            calls++;
            try {
                List<SinkResult> results = sink.put(records);
                if (results.size() == call.size()) {
                    return results;
                }
                return Collections.nCopies(call.size(),
                        new Refused(CALL_FAILED, "the sink answered " + results.size() + " results for " + call.size() + " records"));
            } catch (RecordSinkUnavailableException failed) {
                return Collections.nCopies(call.size(), new Refused(CALL_FAILED, String.valueOf(failed.getMessage())));
            }
        }

        /** An event refused on every attempt: its stream stops here for this batch. */
        private void giveUp(Pending entry) {
            problems.add(new Problem(Kind.GAVE_UP, entry.sequenceNumber, entry.streamKey(), entry.event.version(),
                    "refused " + entry.attempts + " times, last: " + entry.lastError));
            dropQueue(entry.streamKey());
        }

        /** Time ran short: every stream still waiting stops where it is; one problem names the lowest record left. */
        private void abandonAll() {
            RetryPoint left = new RetryPoint();
            int events = 0;
            for (ArrayDeque<Pending> queue : queues.values()) {
                events += queue.size();
                left.failedAt(Objects.requireNonNull(queue.peek()).sequenceNumber);
            }
            problems.add(new Problem(Kind.OUT_OF_TIME, left.lowest().orElseThrow(), null, null, "not sent: the invocation's time ran short;"
                    + " events waiting: " + events + ", streams: " + queues.size()));
            for (String stream : List.copyOf(queues.keySet())) {
                dropQueue(stream);
            }
        }

        private void dropQueue(String stream) {
            ArrayDeque<Pending> queue = queues.remove(stream);
            if (queue != null) {
                for (Pending left : queue) {
                    fail(left.sequenceNumber);
                }
            }
        }

        private void fail(String sequenceNumber) {
            retryPoint.failedAt(sequenceNumber);
            failedRecords.add(sequenceNumber);
        }

        private void hold(String sequenceNumber) {
            held++;
            fail(sequenceNumber);
        }

        PublishReport report() {
            return new PublishReport(retryPoint, published, calls, retried, refused, failedRecords.size(), held, unreadable,
                    unpublishable, problems);
        }
    }
}
