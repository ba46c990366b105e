package dev.factline.functions.publisher;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalDynamo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The event table's stream (on dynalite) read as Lambda's event source mapping delivers it to a
 * function: batches of at most a batch size filled from GetRecords pages, the records' raw JSON
 * with the stream's ARN added to each, turned into a {@link DynamodbEvent} by the official Lambda
 * serializer.
 * A batch is kept as its JSON ({@link Delivery}), so a test can damage a record the way a bad item
 * or an older build would see it, and re-deliver from a sequence number as Lambda does after a
 * {@code ReportBatchItemFailures} answer (a new iterator AT_SEQUENCE_NUMBER).
 */
final class LambdaDeliveries implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<DynamodbEvent> LAMBDA =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, LambdaDeliveries.class.getClassLoader());

    private final RawBodies raw = new RawBodies();
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String shardId;

    private LambdaDeliveries(LocalDynamo dynamo, EventTable table) {
        this.streams = dynamo.streamsClientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(raw))
                .build();
        this.streamArn = dynamo.client().describeTable(b -> b.tableName(table.name())).table().latestStreamArn();
        this.shardId = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().getFirst().shardId();
    }

    static LambdaDeliveries of(LocalDynamo dynamo, EventTable table) {
        return new LambdaDeliveries(dynamo, table);
    }

    /** Every record written so far, from the start of the stream, in batches of at most {@code batchSize}. */
    List<Delivery> all(int batchSize) {
        return drain(iterator(ShardIteratorType.TRIM_HORIZON, null), batchSize);
    }

    /** What Lambda delivers after an answer that named {@code sequenceNumber}: that record and everything after it. */
    List<Delivery> from(String sequenceNumber, int batchSize) {
        return drain(iterator(ShardIteratorType.AT_SEQUENCE_NUMBER, sequenceNumber), batchSize);
    }

    /** What Lambda delivers once it gives up on {@code sequenceNumber} (its retry limit): everything after it. */
    List<Delivery> after(String sequenceNumber, int batchSize) {
        return drain(iterator(ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumber), batchSize);
    }

    /** Everything from the start as one batch (at most 1,000 records, GetRecords' limit). */
    Delivery allAsOne() {
        List<Delivery> batches = all(1000);
        if (batches.size() != 1) {
            throw new IllegalStateException("expected the stream to fit one batch of 1000, but it took " + batches.size());
        }
        return batches.getFirst();
    }

    private String iterator(ShardIteratorType type, @Nullable String sequenceNumber) {
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId).shardIteratorType(type)
                .sequenceNumber(sequenceNumber)).shardIterator();
    }

    /**
     * Fills batches as Lambda does: GetRecords again until the batch holds {@code batchSize}
     * records or the shard has no more (a page holds at most 1 MB, so big records take several).
     */
    private List<Delivery> drain(String iterator, int batchSize) {
        List<Delivery> batches = new ArrayList<>();
        List<JsonNode> batch = new ArrayList<>();
        for (@Nullable String next = iterator; next != null; ) {
            String current = next;
            int room = batchSize - batch.size();
            GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(room));
            if (page.records().isEmpty()) {
                break;
            }
            raw.last().get("Records").forEach(batch::add);
            if (batch.size() == batchSize) {
                batches.add(Delivery.of(batch, streamArn));
                batch = new ArrayList<>();
            }
            next = page.nextShardIterator();
        }
        if (!batch.isEmpty()) {
            batches.add(Delivery.of(batch, streamArn));
        }
        return batches;
    }

    @Override
    public void close() {
        streams.close();
    }

    /** One batch as Lambda hands it over: {@code {"Records": [...]}}. */
    record Delivery(String json) {

        static Delivery of(List<JsonNode> records, String streamArn) {
            ArrayNode list = JSON.createArrayNode();
            for (JsonNode record : records) {
                list.add(((ObjectNode) record.deepCopy()).put("eventSourceARN", streamArn));
            }
            ObjectNode event = JSON.createObjectNode();
            event.set("Records", list);
            try {
                return new Delivery(JSON.writeValueAsString(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        DynamodbEvent event() {
            return LAMBDA.fromJson(json);
        }

        List<String> sequenceNumbers() {
            List<String> numbers = new ArrayList<>();
            tree().get("Records").forEach(record -> numbers.add(record.at("/dynamodb/SequenceNumber").asText()));
            return numbers;
        }

        int size() {
            return tree().get("Records").size();
        }

        /** The batch with the record at {@code sequenceNumber} changed by {@code damage} (given its {@code dynamodb} object). */
        Delivery withRecord(String sequenceNumber, Consumer<ObjectNode> damage) {
            ObjectNode tree = tree();
            boolean found = false;
            for (JsonNode record : tree.get("Records")) {
                if (record.at("/dynamodb/SequenceNumber").asText().equals(sequenceNumber)) {
                    damage.accept((ObjectNode) record.get("dynamodb"));
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no record " + sequenceNumber + " in the batch");
            }
            try {
                return new Delivery(JSON.writeValueAsString(tree));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The sequence number of the first record whose partition key is {@code streamId} and sort key {@code version}. */
        String sequenceNumberOf(String streamId, long version) {
            for (JsonNode record : tree().get("Records")) {
                JsonNode keys = record.at("/dynamodb/Keys");
                if (keys.at("/pk/S").asText().equals(streamId) && keys.at("/sk/N").asLong() == version) {
                    return record.at("/dynamodb/SequenceNumber").asText();
                }
            }
            throw new IllegalArgumentException("no record of " + streamId + " at " + version + " in the batch");
        }

        private ObjectNode tree() {
            try {
                return (ObjectNode) JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Keeps the body of the last GetRecords response as it came over the wire, and passes it on unchanged. */
    private static final class RawBodies implements ExecutionInterceptor {

        private @Nullable String last;

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            Optional<InputStream> body = context.responseBody();
            if (body.isEmpty() || !"GetRecords".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                return body;
            }
            try (InputStream in = body.get()) {
                byte[] bytes = in.readAllBytes();
                synchronized (this) {
                    last = new String(bytes, UTF_8);
                }
                return Optional.of(new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized JsonNode last() {
            if (last == null) {
                throw new IllegalStateException("no GetRecords response yet");
            }
            try {
                return JSON.readTree(last);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
