package dev.factline.functions.publisher;

import dev.factline.functions.store.ClaimChecks;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.publisher.LambdaDeliveries.Delivery;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalKinesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The publisher's whole path on real local servers: an event table of its own on dynalite (with
 * its stream), written by the real store or the real command function; its stream read as Lambda
 * delivers it; a Kinesis stream of its own on kinesalite, which the publisher writes with a real
 * client (its PutRecords calls counted); and a consumer that reads the Kinesis stream back.
 */
final class Pipeline implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final EventTable table;
    final DynamoDbEventStore store;
    final String kinesisStream;
    final CallCounter calls = new CallCounter();
    final KinesisClient kinesis;
    final LambdaDeliveries deliveries;
    final List<PublishedBatch> batches = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<StreamId, Long> heads = new ConcurrentHashMap<>();

    private Pipeline(int shards, StoreLimits storeLimits, ExecutionInterceptor... interceptors) {
        LocalDynamo dynamo = LocalDynamo.shared();
        this.table = new EventTable("publisher-" + UUID.randomUUID());
        dynamo.createTable(table);
        this.store = new DynamoDbEventStore(dynamo.client(), table, storeLimits, Clock.systemUTC());
        this.kinesisStream = "published-" + UUID.randomUUID();
        LocalKinesis.shared().createStream(kinesisStream, shards);
        this.kinesis = LocalKinesis.shared().clientBuilder()
                .overrideConfiguration(configuration -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        configuration.addExecutionInterceptor(interceptor);
                    }
                    configuration.addExecutionInterceptor(calls);
                })
                .build();
        this.deliveries = LambdaDeliveries.of(dynamo, table);
    }

    static Pipeline withShards(int shards) {
        return new Pipeline(shards, StoreLimits.defaults());
    }

    static Pipeline withShards(int shards, StoreLimits storeLimits) {
        return new Pipeline(shards, storeLimits);
    }

    /** With interceptors on the publisher's Kinesis client, before the call counter. */
    static Pipeline withInterceptors(int shards, ExecutionInterceptor... interceptors) {
        return new Pipeline(shards, StoreLimits.defaults(), interceptors);
    }

    /** The publisher as deployed (Kinesis limits, default retries), on this pipeline's client, metrics and log kept. */
    PublisherFunction publisher() {
        return publisher(PublishLimits.kinesis());
    }

    PublisherFunction publisher(PublishLimits limits) {
        return new PublisherFunction(new KinesisRecordSink(kinesis, kinesisStream), limits,
                PublishPolicy.defaults(PublisherFunction.TIME_RESERVE), Clock.systemUTC(), batches::add, new PublisherLog(log::add), ClaimChecks.none());
    }

    /** A publisher on another client to this pipeline's Kinesis stream (through a relay, say), with its own retries. */
    PublisherFunction publisher(KinesisClient client, PublishPolicy policy) {
        return new PublisherFunction(new KinesisRecordSink(client, kinesisStream), PublishLimits.kinesis(), policy, Clock.systemUTC(),
                batches::add, new PublisherLog(log::add), ClaimChecks.none());
    }

    /** The command function as deployed, on this pipeline's event table. */
    CommandFunction commands() {
        return new CommandFunction(store, Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
    }

    /** Appends one commit of {@code events} events to {@code stream}, payloads {@code {"n":<version>}}. */
    void append(StreamId stream, int events) {
        append(stream, events, version -> "{\"n\":" + version + "}");
    }

    /**
     * Appends one commit of {@code events} events to each stream, eight writers at a time; returns
     * once all are written, so the records of one call are contiguous in the table's stream.
     */
    void appendToEach(List<StreamId> streams, int events) {
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> written = new ArrayList<>();
            for (StreamId stream : streams) {
                written.add(writers.submit(() -> append(stream, events)));
            }
            for (Future<?> write : written) {
                write.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("an append failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    void append(StreamId stream, int events, LongFunction<String> payload) {
        long head = heads.getOrDefault(stream, 0L);
        List<NewEvent> batch = new ArrayList<>();
        for (long version = head + 1; version <= head + events; version++) {
            batch.add(new NewEvent(UUID.randomUUID(), "Counted", 1, Instant.now(), payload.apply(version),
                    EventMetadata.forCommand("cmd-" + UUID.randomUUID())));
        }
        store.append(stream, head, batch, null);
        heads.put(stream, head + events);
    }

    StreamsEventResponse deliver(PublisherFunction publisher, Delivery delivery) {
        return publisher.handleRequest(delivery.event(), null);
    }

    static Optional<String> retryFrom(StreamsEventResponse response) {
        assertThat(response.getBatchItemFailures()).hasSizeLessThanOrEqualTo(1);
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).findFirst();
    }

    KinesisConsumer consumer() {
        return KinesisConsumer.read(LocalKinesis.shared().client(), kinesisStream);
    }

    /**
     * What a consumer applies of {@code stream} (duplicates dropped) is exactly the stream in the
     * event table, event by event: id, version, type, schema version, time, payload, metadata.
     */
    void assertPublishedAsStored(KinesisConsumer consumer, StreamId stream) {
        List<RecordedEvent> stored = store.load(stream);
        List<PublishedEnvelope> applied = consumer.applied(stream.toString());
        assertThat(applied).as("events of %s applied", stream).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++) {
            RecordedEvent event = stored.get(i);
            JsonNode envelope = applied.get(i).json();
            assertThat(envelope.get("eventId").asText()).isEqualTo(event.eventId().toString());
            assertThat(envelope.get("version").asLong()).isEqualTo(event.version());
            assertThat(envelope.get("type").asText()).isEqualTo(event.type());
            assertThat(envelope.get("schemaVersion").asInt()).isEqualTo(event.schemaVersion());
            assertThat(Instant.parse(envelope.get("occurredAt").asText())).isEqualTo(event.occurredAt());
            assertThat(envelope.get("payload")).isEqualTo(json(event.payload()));
            assertThat(envelope.at("/metadata/commandId").asText()).isEqualTo(event.metadata().commandId());
            assertThat(envelope.at("/metadata/correlationId").asText()).isEqualTo(event.metadata().correlationId());
            assertThat(envelope.at("/metadata/causationId").isNull()).isEqualTo(event.metadata().causationId() == null);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        deliveries.close();
        kinesis.close();
    }
}
