package dev.factline.functions.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads a table's stream on the local DynamoDB and hands its records over exactly as Lambda
 * delivers them to a function: each GetRecords page's raw JSON, with the stream's ARN added to
 * every record, parsed by the official Lambda serializer into a {@link DynamodbEvent}.
 */
public final class StreamTap implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<DynamodbEvent> LAMBDA =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamTap.class.getClassLoader());

    private final RawBodies raw = new RawBodies();
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private @Nullable String iterator;

    private StreamTap(LocalDynamo dynamo, String tableName) {
        this.streams = dynamo.streamsClientBuilder()
                .overrideConfiguration(configuration -> configuration.addExecutionInterceptor(raw))
                .build();
        this.streamArn = dynamo.client().describeTable(b -> b.tableName(tableName)).table().latestStreamArn();
        String shardId = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().getFirst().shardId();
        this.iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    /** A tap at the start of {@code tableName}'s stream. */
    public static StreamTap atStart(LocalDynamo dynamo, String tableName) {
        return new StreamTap(dynamo, tableName);
    }

    /** The next page of at most {@code limit} records, as a Lambda event (empty when there are none yet). */
    public DynamodbEvent next(int limit) {
        String current = iterator;
        if (current == null) {
            return withRecords(List.of());
        }
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(limit));
        iterator = page.nextShardIterator();
        return asLambdaEvent(raw.last());
    }

    /** Every record written so far, in batches of at most {@code batchSize}, as Lambda would deliver them. */
    public List<DynamodbEvent> drain(int batchSize) {
        List<DynamodbEvent> batches = new ArrayList<>();
        while (true) {
            DynamodbEvent batch = next(batchSize);
            if (batch.getRecords().isEmpty()) {
                return batches;
            }
            batches.add(batch);
        }
    }

    /** Every record written so far, as one event. */
    public DynamodbEvent drainAll() {
        return withRecords(drain(1000).stream().flatMap(batch -> batch.getRecords().stream()).toList());
    }

    public String streamArn() {
        return streamArn;
    }

    /** A batch of these records, as a new event (the records are shared, not copied). */
    public static DynamodbEvent withRecords(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /** The event as the JSON Lambda sends. */
    public static String toJson(DynamodbEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LAMBDA.toJson(event, out);
        return out.toString(UTF_8);
    }

    public static DynamodbEvent fromJson(String json) {
        return LAMBDA.fromJson(json);
    }

    @Override
    public void close() {
        streams.close();
    }

    private DynamodbEvent asLambdaEvent(String getRecordsBody) {
        try {
            ArrayNode records = (ArrayNode) JSON.readTree(getRecordsBody).get("Records");
            for (JsonNode record : records) {
                ((ObjectNode) record).put("eventSourceARN", streamArn);
            }
            ObjectNode event = JSON.createObjectNode();
            event.set("Records", records);
            return LAMBDA.fromJson(JSON.writeValueAsString(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the raw body of the last GetRecords answer: Lambda hands functions that JSON, not the SDK's objects. */
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

        synchronized String last() {
            if (last == null) {
                throw new IllegalStateException("no GetRecords response yet");
            }
            return last;
        }
    }
}
