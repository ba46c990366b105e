package dev.factline.functions.publisher;

import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.functions.publisher.PublishReport.Kind;
import dev.factline.functions.publisher.RecordSink.Refused;
import dev.factline.functions.publisher.RecordSink.SinkRecord;
import dev.factline.functions.publisher.RecordSink.SinkResult;
import dev.factline.functions.publisher.RecordSink.Stored;
import dev.factline.functions.publisher.ShardBatch.Commit;
import dev.factline.functions.publisher.ShardBatch.Item;
import dev.factline.functions.publisher.ShardBatch.Unreadable;
import dev.factline.functions.stream.ChangeRecord;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.stream.StreamFailures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.PayloadClaim;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
 * versions ahead of it ({@link StreamFailures}, the policy of every function on the stream).
 */
final class OrderedPublisher {

    private static final String CALL_FAILED = "CallFailed";

    private final RecordSink sink;
    private final PublishLimits limits;
    private final PublishPolicy policy;
    private final ClaimChecks claims;

    OrderedPublisher(RecordSink sink, PublishLimits limits, PublishPolicy policy) {
        this(sink, limits, policy, ClaimChecks.none());
    }

    /** @param claims where an event whose envelope outgrows a record points consumers instead (its payload's blob) */
    OrderedPublisher(RecordSink sink, PublishLimits limits, PublishPolicy policy, ClaimChecks claims) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    PublishReport publish(ShardBatch batch, Deadline deadline) {
        Run run = new Run(StreamFailures.of(batch.changes()));
        if (!batch.placeable()) {
            run.unplaceable();
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
        private final StreamFailures failures;
        private int published;
        private int calls;
        private int retried;
        private int refused;
        private int unreadable;
        private int unpublishable;

        Run(StreamFailures failures) {
            this.failures = failures;
        }

        void unplaceable() {
            failures.failedFromStart(Kind.UNPLACEABLE.label(),
                    "a record of the batch has no sequence number, so nothing is published and the whole batch is retried");
        }

        /**
         * Queues the events in shard order, stopping each stream at its first record that cannot go.
         * Every unreadable record is reported, even one behind another failure: it is a cause of its own.
         */
        void plan(List<Item> items) {
            for (Item item : items) {
                switch (item) {
                    case Unreadable record -> {
                        unreadable++;
                        failures.failed(problem(Kind.UNREADABLE, record.sequenceNumber(), record.streamKey(), null, record.reason()));
                    }
                    case Commit commit -> {
                        if (!failures.mustWait(commit.change())) {
                            queue(commit);
                        }
                    }
                }
            }
        }

        /** Queues a commit's events up to the first that cannot be published, which stops its stream. */
        private void queue(Commit commit) {
            for (RecordedEvent event : commit.change().events()) {
                SinkRecord record;
                try {
                    record = record(event);
                } catch (UnpublishableEventException poison) {
                    unpublishable++;
                    failures.failed(problem(Kind.UNPUBLISHABLE, commit.sequenceNumber(), commit.streamKey(), event.version(),
                            String.valueOf(poison.getMessage())));
                    return;
                }
                queues.computeIfAbsent(commit.streamKey(), key -> new ArrayDeque<>())
                        .add(new Pending(event, commit.sequenceNumber(), record));
            }
        }

        /** The event's envelope, its payload inline when the record holds it, else the payload's claim, which consumers resolve. */
        private SinkRecord record(RecordedEvent event) {
            SinkRecord record = new SinkRecord(event.streamId().toString(), EventEnvelopes.encode(event));
            if (record.size() > limits.bytesPerRecord()) {
                PayloadClaim claim = PayloadClaim.of(event.payload().getBytes(StandardCharsets.UTF_8));
                Optional<URI> location = claims.location(claim);
                if (location.isPresent()) {
                    record = new SinkRecord(event.streamId().toString(), EventEnvelopes.encodeClaimed(event, claim, location.get()));
                }
            }
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
            failures.failed(problem(Kind.GAVE_UP, entry.sequenceNumber, entry.streamKey(), entry.event.version(),
                    "refused " + entry.attempts + " times, last: " + entry.lastError));
            dropQueue(entry.streamKey());
        }

        /** Time ran short: every stream still waiting stops where it is; one problem names the lowest record left. */
        private void abandonAll() {
            int events = queues.values().stream().mapToInt(ArrayDeque::size).sum();
            String lowestLeft = queues.values().stream().map(queue -> Objects.requireNonNull(queue.peek()).sequenceNumber)
                    .min(ChangeRecord::compareSequenceNumbers).orElseThrow();
            failures.failed(problem(Kind.OUT_OF_TIME, lowestLeft, null, null, "not sent: the invocation's time ran short;"
                    + " events waiting: " + events + ", streams: " + queues.size()));
            for (String stream : List.copyOf(queues.keySet())) {
                dropQueue(stream);
            }
        }

        /** The stream's events not yet published stay behind its failure: their records go back to Lambda. */
        private void dropQueue(String stream) {
            ArrayDeque<Pending> queue = queues.remove(stream);
            if (queue != null) {
                queue.forEach(left -> failures.heldBack(left.sequenceNumber));
            }
        }

        private static RecordProblem problem(Kind kind, String sequenceNumber, @Nullable String streamId, @Nullable Long version,
                String reason) {
            return new RecordProblem(kind.label(), sequenceNumber, streamId, version, null, reason);
        }

        PublishReport report() {
            return new PublishReport(failures, published, calls, retried, refused, unreadable, unpublishable);
        }
    }
}
