package dev.factline.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.emulators.LambdaStreamEvents;
import dev.factline.emulators.RawGetRecordsBodies;
import dev.factline.functions.topology.StreamTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClientBuilder;

/**
 * A stream trigger as Lambda's event source mapping for DynamoDB Streams runs it, configured from
 * the topology's {@link StreamTrigger}:
 *
 * <ul>
 *   <li>shard discovery: the table's stream (ListStreams) and its shards (DescribeStream, paged),
 *       again every few seconds; a child shard starts only once its parent, while the stream still
 *       lists the parent, has been read to its end (so grandparent, parent and child run in order);
 *   <li>one poller per shard, so records of a shard are delivered in order and one batch at a time;
 *       GetRecords about four times a second while the shard is idle, starting at TRIM_HORIZON;
 *   <li>filter criteria ({@link FilterPattern}) before batching: records that do not match are
 *       dropped and never delivered; batch size; the batching window (gather until the batch is
 *       full or the window since the first record has passed);
 *   <li>the event is the raw GetRecords JSON with {@code eventSourceARN} added, parsed by the
 *       official serializer (what the Lambda runtime hands a function);
 *   <li>{@code ReportBatchItemFailures}: the lowest reported sequence number is the checkpoint; the
 *       records before it are done and the rest of the batch is retried from it (progress is not a
 *       failed attempt). A reported failure on the first record makes no progress: the same records
 *       are retried, one failed attempt, and never bisected;
 *   <li>a function error is the handler throwing anything (an exception or an {@link Error}), or an
 *       invalid response (an item identifier that is null, empty or not in the batch), which Lambda
 *       treats as the whole batch failing; it is a failed attempt;
 *   <li>{@code BisectBatchOnFunctionError}: on a function error only, a batch of more than one record
 *       is split in two halves, retried first half first; splits do not count as retries;
 *   <li>{@code MaximumRetryAttempts}: records that fail 1 + that many times in a row without
 *       progress (a function error on one record or without bisection, or a reported failure on the
 *       first record) are parked; {@code MaximumRecordAgeInSeconds}: records older than
 *       it (by {@code ApproximateCreationDateTime}) are parked without being delivered. Parked
 *       batches go to {@link ParkedRecords}, the on-failure destination, and the shard moves on.
 * </ul>
 *
 * A poller reads ahead up to a GetRecords call's 1,000 records beyond the batch it delivers, so
 * {@link #lag()} knows how many records it holds that are not done yet (the events it is behind,
 * as far as it has read) and how old the oldest of them is.
 *
 * <p>Retries back off exponentially from {@code retryBackoff} (doubling, at most 20 times it). A
 * poller that fails (a stream call, a malformed record) does what Lambda does: it backs off the same
 * way, drops what it had read and not finished, and reads again after its checkpoint (the last
 * record done or parked; the shard's start if none). The checkpoints are kept in {@link Checkpoints},
 * on disk when the pipeline has a data folder: a trigger started again reads after them, and a
 * batch its function handled just before a crash is delivered again (at least once, as on Lambda).
 * Not modelled: a parallelization factor above
 * 1 (one batch per shard at a time; keys keep their order either way), tumbling windows, the
 * function's time limit.
 */
final class EventSourceMapping implements AutoCloseable {

    /** How long a poller waits after an empty read: Lambda polls a DynamoDB stream's shard four times a second. */
    static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);
    /** The most records one GetRecords call returns: what a poller reads ahead of its batch. */
    private static final int READ_AHEAD = 1000;

    /** One delivered batch: how many records, when it ended, how long the function took, the age of its last record when delivered. */
    record BatchDelivered(int records, Instant endedAt, long durationMillis, long iteratorAgeMillis) {
    }

    /**
     * How far the trigger is behind, now: the records read off its shards and not done yet, the
     * age of the oldest of them (0 when there are none), and its last delivered batch (null before the first).
     */
    record Lag(String function, int shards, int recordsBehind, long oldestAgeMillis, @Nullable BatchDelivered lastBatch) {
    }

    private final StreamTrigger trigger;
    private final LocalFunction<DynamodbEvent, StreamsEventResponse> function;
    private final Supplier<DynamoDbStreamsClientBuilder> streamsClients;
    private final String tableName;
    private final FilterPattern filter;
    private final ParkedRecords parked;
    private final Duration retryBackoff;
    private final Checkpoints checkpoints;
    private final Map<String, ShardPoller> pollers = new ConcurrentHashMap<>();
    private final DynamoDbStreamsClient discoveryClient;
    private final Thread discovery;
    private volatile boolean running = true;
    private volatile @Nullable BatchDelivered lastBatch;

    EventSourceMapping(StreamTrigger trigger, LocalFunction<DynamodbEvent, StreamsEventResponse> function,
            Supplier<DynamoDbStreamsClientBuilder> streamsClients, String tableName, ParkedRecords parked, Duration retryBackoff,
            Checkpoints checkpoints) {
        this.trigger = trigger;
        this.function = function;
        this.streamsClients = streamsClients;
        this.tableName = tableName;
        this.filter = FilterPattern.parse(trigger.filterPattern());
        this.parked = parked;
        this.retryBackoff = retryBackoff;
        this.checkpoints = checkpoints;
        this.discoveryClient = streamsClients.get().build();
        discoverShards();
        this.discovery = Thread.ofPlatform().daemon().name(trigger.function() + "-shard-discovery").start(() -> {
            while (running && pause(DISCOVERY_INTERVAL)) {
                try {
                    discoverShards();
                } catch (RuntimeException e) {
                    System.err.println("[local] " + trigger.function() + " shard discovery failed: " + e);
                }
            }
        });
    }

    /** The latest stream of the table (ListStreams), and pollers for its shards not yet polled. */
    private synchronized void discoverShards() {
        String streamArn = discoveryClient.listStreams(b -> b.tableName(tableName)).streams().stream()
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("table " + tableName + " has no stream")).streamArn();
        List<Shard> shards = new ArrayList<>();
        @Nullable String after = null;
        do {
            String start = after;
            DescribeStreamResponse page = discoveryClient.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(start));
            if (page.streamDescription().streamStatus() == StreamStatus.DISABLED) {
                return;
            }
            shards.addAll(page.streamDescription().shards());
            after = page.streamDescription().lastEvaluatedShardId();
        } while (after != null);
        Set<String> listed = new HashSet<>();
        shards.forEach(shard -> listed.add(shard.shardId()));
        for (Shard shard : shards) {
            if (pollers.containsKey(shard.shardId())) {
                continue;
            }
            @Nullable String parentId = shard.parentShardId();
            if (parentId != null && listed.contains(parentId)) {
                @Nullable ShardPoller parent = pollers.get(parentId);
                if (parent == null || !parent.finished) {
                    continue;
                }
            }
            ShardPoller poller = new ShardPoller(streamArn, shard.shardId());
            pollers.put(shard.shardId(), poller);
            poller.thread.start();
        }
    }

    /** The trigger's lag over all its shards, as of now. */
    Lag lag() {
        Instant now = Instant.now();
        int behind = 0;
        long oldestAge = 0;
        for (ShardPoller poller : pollers.values()) {
            behind += poller.unfinished;
            @Nullable Instant oldest = poller.oldestUnfinished;
            if (oldest != null) {
                oldestAge = Math.max(oldestAge, Math.max(0, Duration.between(oldest, now).toMillis()));
            }
        }
        return new Lag(trigger.function(), pollers.size(), behind, oldestAge, lastBatch);
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A run of records retried together, and how many times it has failed so far. */
    private record Segment(List<ObjectNode> records, int failures) {
    }

    /** What an invocation left to do. */
    private sealed interface Outcome {
    }

    /** Every record is done. */
    private record Done() implements Outcome {
    }

    /** A valid partial batch response: the records from {@code index} on are to be retried. */
    private record ResumeAt(int index) implements Outcome {
    }

    /** The handler threw, or its response was invalid: the whole batch failed. */
    private record FunctionError() implements Outcome {
    }

    private Duration backoff(int failures) {
        long factor = 1L << Math.min(failures, 20);
        return Duration.ofMillis(Math.min(retryBackoff.toMillis() * factor, retryBackoff.toMillis() * 20));
    }

    private final class ShardPoller {
        private final String streamArn;
        private final String shardId;
        private final RawGetRecordsBodies raw = new RawGetRecordsBodies();
        private final DynamoDbStreamsClient streams;
        private final Thread thread;
        private final Deque<ObjectNode> pending = new ArrayDeque<>();
        private @Nullable String iterator;
        /** The sequence number of the last record done or parked; null until the first. */
        private @Nullable String checkpoint;
        private volatile boolean finished;
        /** Records read and not yet done (delivering or waiting), and when the oldest of them was written; for {@link #lag()}. */
        private volatile int unfinished;
        private volatile @Nullable Instant oldestUnfinished;

        ShardPoller(String streamArn, String shardId) {
            this.streamArn = streamArn;
            this.shardId = shardId;
            this.checkpoint = checkpoints.of(streamArn, shardId);
            this.streams = streamsClients.get().overrideConfiguration(c -> c.addExecutionInterceptor(raw)).build();
            this.thread = Thread.ofPlatform().daemon().name(trigger.function() + "-" + shardId).unstarted(this::run);
        }

        /** Polls the shard to its end; after a failure backs off and reads again from the checkpoint, as Lambda does. */
        private void run() {
            int failures = 0;
            try {
                while (running) {
                    try {
                        iterator = iteratorAfterCheckpoint();
                        while (running && (iterator != null || !pending.isEmpty())) {
                            List<ObjectNode> batch = gather();
                            if (!batch.isEmpty()) {
                                long started = System.nanoTime();
                                long iteratorAge = Math.max(0, Duration.between(created(batch.getLast()), Instant.now()).toMillis());
                                deliver(batch);
                                lastBatch = new BatchDelivered(batch.size(), Instant.now(), (System.nanoTime() - started) / 1_000_000, iteratorAge);
                                holding(List.of());
                                failures = 0;
                            }
                        }
                        finished = running && iterator == null && pending.isEmpty();
                        return;
                    } catch (Throwable e) {
                        if (!running) {
                            return;
                        }
                        System.err.println("[local] " + trigger.function() + " poller of " + shardId + " failed, reading again after "
                                + (checkpoint == null ? "the shard's start" : checkpoint) + ": " + e);
                        pending.clear();
                        holding(List.of());
                        if (!pause(backoff(failures++))) {
                            return;
                        }
                    }
                }
            } finally {
                streams.close();
            }
        }

        private @Nullable String iteratorAfterCheckpoint() {
            @Nullable String after = checkpoint;
            return streams.getShardIterator(b -> {
                b.streamArn(streamArn).shardId(shardId);
                if (after == null) {
                    b.shardIteratorType(ShardIteratorType.fromValue(StreamTrigger.STARTING_POSITION));
                } else {
                    b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
                }
            }).shardIterator();
        }

        /** Reads until a batch is full, the batching window has passed since the first record, or the shard ends. */
        private List<ObjectNode> gather() {
            long windowEnds = Long.MAX_VALUE;
            while (running && iterator != null && pending.size() < trigger.batchSize()) {
                if (!pending.isEmpty() && windowEnds == Long.MAX_VALUE) {
                    windowEnds = System.nanoTime() + trigger.maximumBatchingWindow().toNanos();
                }
                if (!pending.isEmpty() && System.nanoTime() - windowEnds >= 0) {
                    break;
                }
                String current = iterator;
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(READ_AHEAD));
                iterator = page.nextShardIterator();
                List<ObjectNode> records = page.records().isEmpty() ? List.of() : LambdaStreamEvents.lambdaRecords(raw.last(), streamArn);
                for (ObjectNode record : records) {
                    if (filter.matches(record)) {
                        pending.add(record);
                    }
                }
                holding(List.of());
                boolean windowless = trigger.maximumBatchingWindow().isZero();
                if (!pending.isEmpty() && windowless) {
                    break;
                }
                if (page.records().isEmpty() && !pause(IDLE_POLL)) {
                    break;
                }
            }
            List<ObjectNode> batch = new ArrayList<>();
            while (!pending.isEmpty() && batch.size() < trigger.batchSize()) {
                batch.add(pending.poll());
            }
            holding(batch);
            return batch;
        }

        /** Publishes what the poller holds undone, {@code batch} (being delivered) and what it read ahead, for {@link #lag()}. */
        private void holding(List<ObjectNode> batch) {
            unfinished = batch.size() + pending.size();
            @Nullable ObjectNode oldest = batch.isEmpty() ? pending.peek() : batch.getFirst();
            oldestUnfinished = oldest == null ? null : created(oldest);
        }

        /** Delivers a batch until every record is done or parked: checkpoints, bisection, retries, record age. */
        private void deliver(List<ObjectNode> batch) {
            Deque<Segment> work = new ArrayDeque<>();
            work.add(new Segment(batch, 0));
            while (running && !work.isEmpty()) {
                Segment segment = work.poll();
                List<ObjectNode> fresh = parkExpired(segment);
                if (fresh.isEmpty()) {
                    checkpoint(segment.records().getLast());
                    continue;
                }
                switch (invoke(fresh)) {
                    case Done done -> checkpoint(segment.records().getLast());
                    case ResumeAt(int index) when index > 0 -> {
                        List<ObjectNode> all = segment.records();
                        checkpoint(all.get(all.indexOf(fresh.get(index)) - 1));
                        work.addFirst(new Segment(fresh.subList(index, fresh.size()), 0));
                    }
                    case ResumeAt noProgress -> retryOrPark(work, segment, fresh);
                    case FunctionError error when trigger.bisectBatchOnError() && fresh.size() > 1 -> {
                        int half = fresh.size() / 2;
                        work.addFirst(new Segment(fresh.subList(half, fresh.size()), segment.failures()));
                        work.addFirst(new Segment(fresh.subList(0, half), segment.failures()));
                    }
                    case FunctionError error -> retryOrPark(work, segment, fresh);
                }
            }
        }

        /** One more failed attempt: parks the records when the retries are used up, else retries them after a back-off. */
        private void retryOrPark(Deque<Segment> work, Segment segment, List<ObjectNode> fresh) {
            if (!running) {
                return;
            }
            if (segment.failures() + 1 > trigger.maximumRetryAttempts()) {
                park(fresh, "RetryAttemptsExhausted", segment.failures() + 1);
                checkpoint(segment.records().getLast());
            } else {
                pause(backoff(segment.failures()));
                work.addFirst(new Segment(fresh, segment.failures() + 1));
            }
        }

        private void checkpoint(ObjectNode record) {
            checkpoint = sequence(record);
            checkpoints.save(streamArn, shardId, checkpoint);
        }

        /** Parks the records older than the trigger's maximum record age; returns the others. */
        private List<ObjectNode> parkExpired(Segment segment) {
            Instant oldest = Instant.now().minus(trigger.maximumRecordAge());
            List<ObjectNode> expired = new ArrayList<>();
            List<ObjectNode> fresh = new ArrayList<>();
            for (ObjectNode record : segment.records()) {
                (created(record).isBefore(oldest) ? expired : fresh).add(record);
            }
            if (!expired.isEmpty()) {
                park(expired, "RecordAgeExceeded", segment.failures());
            }
            return fresh;
        }

        /**
         * Invokes the function. Anything the handler throws, an {@link Error} too, is a function error, as
         * Lambda counts it; so is an item identifier that is not in the batch.
         */
        private Outcome invoke(List<ObjectNode> records) {
            DynamodbEvent event = LambdaStreamEvents.fromJson(LambdaStreamEvents.eventJson(records));
            @Nullable StreamsEventResponse response;
            try {
                response = function.invoke(event);
            } catch (Throwable functionError) {
                if (running) {
                    System.err.println("[local] " + trigger.function() + " failed on " + records.size() + " record(s) from "
                            + sequence(records.getFirst()) + ": " + functionError);
                }
                return new FunctionError();
            }
            if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
                return new Done();
            }
            int lowest = Integer.MAX_VALUE;
            for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                int index = failure == null ? -1 : indexOf(records, failure.getItemIdentifier());
                if (index < 0) {
                    System.err.println("[local] " + trigger.function() + " reported item identifier "
                            + (failure == null ? null : failure.getItemIdentifier()) + ", not in its batch: the whole batch failed");
                    return new FunctionError();
                }
                lowest = Math.min(lowest, index);
            }
            return new ResumeAt(lowest);
        }

        private void park(List<ObjectNode> records, String condition, int attempts) {
            parked.park(new ParkedRecords.Parked(trigger.function(), condition, shardId, streamArn, sequence(records.getFirst()),
                    sequence(records.getLast()), records.size(), attempts, created(records.getFirst()), Instant.now(),
                    List.copyOf(records)));
        }
    }

    private static int indexOf(List<ObjectNode> records, @Nullable String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (sequence(records.get(i)).equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private static String sequence(JsonNode record) {
        return record.path("dynamodb").path("SequenceNumber").asText();
    }

    private static Instant created(JsonNode record) {
        JsonNode seconds = record.path("dynamodb").path("ApproximateCreationDateTime");
        return seconds.isNumber() ? Instant.ofEpochMilli((long) (seconds.asDouble() * 1000)) : Instant.now();
    }

    @Override
    public void close() {
        running = false;
        discovery.interrupt();
        for (ShardPoller poller : pollers.values()) {
            poller.thread.interrupt();
        }
        for (ShardPoller poller : pollers.values()) {
            try {
                poller.thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        discoveryClient.close();
    }
}
