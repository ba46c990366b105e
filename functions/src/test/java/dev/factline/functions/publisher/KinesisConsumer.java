package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.testing.LocalKinesis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * A small consumer of the published stream, as a downstream service would read it: every shard
 * from TRIM_HORIZON with GetRecords until the shard has nothing more
 * ({@link LocalKinesis#recordsByShard}), each record's data parsed as an envelope with plain
 * Jackson. It keeps each shard's records in shard order, and checks that a stream's records all
 * sit in one shard and under the stream's partition key.
 */
final class KinesisConsumer {

    private final Map<String, List<PublishedEnvelope>> byShard = new LinkedHashMap<>();

    private KinesisConsumer() {
    }

    /** Reads every record of {@code stream} now in the stream. */
    static KinesisConsumer read(KinesisClient kinesis, String stream) {
        KinesisConsumer consumer = new KinesisConsumer();
        LocalKinesis.recordsByShard(kinesis, stream).forEach((shard, records) -> {
            List<PublishedEnvelope> envelopes = new ArrayList<>();
            for (Record record : records) {
                PublishedEnvelope envelope = PublishedEnvelope.parse(record.data().asByteArray());
                assertThat(record.partitionKey()).as("partition key of %s", envelope.key()).isEqualTo(envelope.streamId());
                envelopes.add(envelope);
            }
            consumer.byShard.put(shard, envelopes);
        });
        return consumer;
    }

    /** Every record, shard after shard, each shard in its order. */
    List<PublishedEnvelope> all() {
        return byShard.values().stream().flatMap(List::stream).toList();
    }

    /** Per stream, in the order its shard holds it; fails if a stream is spread over shards. */
    StreamOrder order() {
        Map<String, String> shardOf = new HashMap<>();
        byShard.forEach((shard, records) -> records.forEach(record -> {
            String previous = shardOf.putIfAbsent(record.streamId(), shard);
            assertThat(previous == null || previous.equals(shard))
                    .as("%s is in %s and in %s", record.streamId(), previous, shard).isTrue();
        }));
        return StreamOrder.of(all());
    }

    /** A consumer's view of {@code stream}: each envelope whose version is above the highest seen, in shard order. */
    List<PublishedEnvelope> applied(String stream) {
        List<PublishedEnvelope> applied = new ArrayList<>();
        long highest = 0;
        for (PublishedEnvelope envelope : order().streams().contains(stream) ? all() : List.<PublishedEnvelope>of()) {
            if (envelope.streamId().equals(stream) && envelope.version() > highest) {
                applied.add(envelope);
                highest = envelope.version();
            }
        }
        return applied;
    }

    /** How many shards hold at least one record. */
    long shardsUsed() {
        return byShard.values().stream().filter(records -> !records.isEmpty()).count();
    }

    int size() {
        return all().size();
    }
}
