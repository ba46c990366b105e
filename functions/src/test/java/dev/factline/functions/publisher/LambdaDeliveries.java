package dev.factline.functions.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.StreamTap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * The event table's stream (on dynalite) read as Lambda's event source mapping delivers it to a
 * function: batches of at most a batch size filled from GetRecords pages, the records' raw JSON
 * with the stream's ARN added to each, turned into a {@link DynamodbEvent} by the official Lambda
 * serializer; a {@link StreamTap} reads the pages.
 * A batch is kept as its JSON ({@link Delivery}), so a test can damage a record the way a bad item
 * or an older build would see it, and re-deliver from a sequence number as Lambda does after a
 * {@code ReportBatchItemFailures} answer (a new iterator AT_SEQUENCE_NUMBER).
 */
final class LambdaDeliveries implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamTap tap;

    private LambdaDeliveries(LocalDynamo dynamo, EventTable table) {
        this.tap = StreamTap.atStart(dynamo, table.name());
    }

    static LambdaDeliveries of(LocalDynamo dynamo, EventTable table) {
        return new LambdaDeliveries(dynamo, table);
    }

    /** Every record written so far, from the start of the stream, in batches of at most {@code batchSize}. */
    List<Delivery> all(int batchSize) {
        return drain(ShardIteratorType.TRIM_HORIZON, null, batchSize);
    }

    /** What Lambda delivers after an answer that named {@code sequenceNumber}: that record and everything after it. */
    List<Delivery> from(String sequenceNumber, int batchSize) {
        return drain(ShardIteratorType.AT_SEQUENCE_NUMBER, sequenceNumber, batchSize);
    }

    /** What Lambda delivers once it gives up on {@code sequenceNumber} (its retry limit): everything after it. */
    List<Delivery> after(String sequenceNumber, int batchSize) {
        return drain(ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequenceNumber, batchSize);
    }

    /** Everything from the start as one batch (at most 1,000 records, GetRecords' limit). */
    Delivery allAsOne() {
        List<Delivery> batches = all(1000);
        if (batches.size() != 1) {
            throw new IllegalStateException("expected the stream to fit one batch of 1000, but it took " + batches.size());
        }
        return batches.getFirst();
    }

    /**
     * Fills batches as Lambda does: GetRecords again until the batch holds {@code batchSize}
     * records or the shard has no more (a page holds at most 1 MB, so big records take several).
     */
    private List<Delivery> drain(ShardIteratorType type, @Nullable String sequenceNumber, int batchSize) {
        tap.moveTo(type, sequenceNumber);
        List<Delivery> batches = new ArrayList<>();
        List<ObjectNode> batch = new ArrayList<>();
        while (true) {
            List<ObjectNode> page = tap.nextRecords(batchSize - batch.size());
            if (page.isEmpty()) {
                break;
            }
            batch.addAll(page);
            if (batch.size() == batchSize) {
                batches.add(Delivery.of(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(Delivery.of(batch));
        }
        return batches;
    }

    @Override
    public void close() {
        tap.close();
    }

    /** One batch as Lambda hands it over: {@code {"Records": [...]}}. */
    record Delivery(String json) {

        /** The batch of these records, each as {@link StreamTap#nextRecords} gives it (with the stream's ARN). */
        static Delivery of(List<ObjectNode> records) {
            return new Delivery(StreamTap.eventJson(records));
        }

        DynamodbEvent event() {
            return StreamTap.fromJson(json);
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
}
