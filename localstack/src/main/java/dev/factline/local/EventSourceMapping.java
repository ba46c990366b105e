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
import java.util.List;
import java.util.Map;
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
 *       again every few seconds; a child shard starts once its parent's poller has read it to its end;
 *   <li>one poller per shard, so records of a shard are delivered in order and one batch at a time;
 *       GetRecords about four times a second while the shard is idle, starting at TRIM_HORIZON;
 *   <li>filter criteria ({@link FilterPattern}) before batching: records that do not match are
 *       dropped and never delivered; batch size; the batching window (gather until the batch is
 *       full or the window since the first record has passed);
 *   <li>the event is the raw GetRecords JSON with {@code eventSourceARN} added, parsed by the
 *       official serializer (what the Lambda runtime hands a function);
 *   <li>{@code ReportBatchItemFailures}: the lowest reported sequence number is the checkpoint; the
 *       records before it are done and the batch is retried from it (progress is not a failed
 *       attempt). No progress (an exception, a failure on the first record, or an identifier not in
 *       the batch, which Lambda treats as the whole batch failing) is a failed attempt;
 *   <li>{@code BisectBatchOnFunctionError}: a failed batch of more than one record is split in two
 *       halves, retried first half first; splits do not count as retries;
 *   <li>{@code MaximumRetryAttempts}: a batch of one record (or any batch without bisection) that
 *       fails 1 + that many times is parked; {@code MaximumRecordAgeInSeconds}: records older than
 *       it (by {@code ApproximateCreationDateTime}) are parked without being delivered. Parked
 *       batches go to {@link ParkedRecords}, the on-failure destination, and the shard moves on.
 * </ul>
 *
 * Retries back off exponentially from {@code retryBackoff} (doubling, at most 20 times it). Not
 * modelled: a parallelization factor above 1 (one batch per shard at a time; keys keep their order
 * either way), tumbling windows, the function's time limit.
 */
final class EventSourceMapping implements AutoCloseable {

    private static final Duration IDLE_POLL = Duration.ofMillis(250);
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);

    private final StreamTrigger trigger;
    private final LocalFunction<DynamodbEvent, StreamsEventResponse> function;
    private final Supplier<DynamoDbStreamsClientBuilder> streamsClients;
    private final String tableName;
    private final FilterPattern filter;
    private final ParkedRecords parked;
    private final Duration retryBackoff;
    private final Map<String, ShardPoller> pollers = new ConcurrentHashMap<>();
    private final DynamoDbStreamsClient discoveryClient;
    private final Thread discovery;
    private volatile boolean running = true;

    EventSourceMapping(StreamTrigger trigger, LocalFunction<DynamodbEvent, StreamsEventResponse> function,
            Supplier<DynamoDbStreamsClientBuilder> streamsClients, String tableName, ParkedRecords parked, Duration retryBackoff) {
        this.trigger = trigger;
        this.function = function;
        this.streamsClients = streamsClients;
        this.tableName = tableName;
        this.filter = FilterPattern.parse(trigger.filterPattern());
        this.parked = parked;
        this.retryBackoff = retryBackoff;
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
        for (Shard shard : shards) {
            if (pollers.containsKey(shard.shardId())) {
                continue;
            }
            ShardPoller parent = shard.parentShardId() == null ? null : pollers.get(shard.parentShardId());
            if (parent != null && !parent.finished) {
                continue;
            }
            ShardPoller poller = new ShardPoller(streamArn, shard.shardId());
            pollers.put(shard.shardId(), poller);
            poller.thread.start();
        }
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

    private final class ShardPoller {
        private final String streamArn;
        private final String shardId;
        private final RawGetRecordsBodies raw = new RawGetRecordsBodies();
        private final DynamoDbStreamsClient streams;
        private final Thread thread;
        private final Deque<ObjectNode> pending = new ArrayDeque<>();
        private @Nullable String iterator;
        private volatile boolean finished;

        ShardPoller(String streamArn, String shardId) {
            this.streamArn = streamArn;
            this.shardId = shardId;
            this.streams = streamsClients.get().overrideConfiguration(c -> c.addExecutionInterceptor(raw)).build();
            this.thread = Thread.ofPlatform().daemon().name(trigger.function() + "-" + shardId).unstarted(this::run);
        }

        private void run() {
            try {
                iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.fromValue(StreamTrigger.STARTING_POSITION))).shardIterator();
                while (running && (iterator != null || !pending.isEmpty())) {
                    List<ObjectNode> batch = gather();
                    if (!batch.isEmpty()) {
                        deliver(batch);
                    }
                }
                finished = iterator == null;
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("[local] " + trigger.function() + " poller of " + shardId + " stopped: " + e);
                }
            } finally {
                streams.close();
            }
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
                int limit = Math.min(1000, trigger.batchSize() - pending.size());
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(limit));
                iterator = page.nextShardIterator();
                List<ObjectNode> records = page.records().isEmpty() ? List.of() : LambdaStreamEvents.lambdaRecords(raw.last(), streamArn);
                for (ObjectNode record : records) {
                    if (filter.matches(record)) {
                        pending.add(record);
                    }
                }
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
            return batch;
        }

        /** Delivers a batch until every record is done or parked: checkpoints, bisection, retries, record age. */
        private void deliver(List<ObjectNode> batch) {
            Deque<Segment> work = new ArrayDeque<>();
            work.add(new Segment(batch, 0));
            while (running && !work.isEmpty()) {
                Segment segment = work.poll();
                List<ObjectNode> fresh = parkExpired(segment);
                if (fresh.isEmpty()) {
                    continue;
                }
                int failedAt = invoke(fresh);
                if (failedAt < 0) {
                    continue;
                }
                if (failedAt > 0) {
                    work.addFirst(new Segment(fresh.subList(failedAt, fresh.size()), 0));
                } else if (trigger.bisectBatchOnError() && fresh.size() > 1) {
                    int half = fresh.size() / 2;
                    work.addFirst(new Segment(fresh.subList(half, fresh.size()), segment.failures()));
                    work.addFirst(new Segment(fresh.subList(0, half), segment.failures()));
                } else if (segment.failures() + 1 > trigger.maximumRetryAttempts()) {
                    park(fresh, "RetryAttemptsExhausted", segment.failures() + 1);
                } else {
                    long factor = 1L << Math.min(segment.failures(), 20);
                    pause(Duration.ofMillis(Math.min(retryBackoff.toMillis() * factor, retryBackoff.toMillis() * 20)));
                    work.addFirst(new Segment(fresh, segment.failures() + 1));
                }
            }
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

        /** -1 when the whole batch is done, else the index of the record to resume at (0: nothing was done). */
        private int invoke(List<ObjectNode> records) {
            DynamodbEvent event = LambdaStreamEvents.fromJson(LambdaStreamEvents.eventJson(records));
            StreamsEventResponse response;
            try {
                response = function.invoke(event);
            } catch (RuntimeException functionError) {
                System.err.println("[local] " + trigger.function() + " failed on " + records.size() + " record(s) from "
                        + sequence(records.getFirst()) + ": " + functionError);
                return 0;
            }
            if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
                return -1;
            }
            int lowest = Integer.MAX_VALUE;
            for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                int index = indexOf(records, failure.getItemIdentifier());
                if (index < 0) {
                    return 0;
                }
                lowest = Math.min(lowest, index);
            }
            return lowest;
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
