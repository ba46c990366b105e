package dev.factline.local;

import dev.factline.functions.view.ViewRow;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** What the embedded pipeline holds, read and changed behind the HTTP API's back: for the suites that check its stores. */
final class PipelineContents {

    private PipelineContents() {
    }

    /** Deletes every read-table row whose key starts with {@code prefix}, as if the read model had never written them. */
    static void forgetEveryRowOf(LocalPipeline pipeline, String prefix) {
        String table = pipeline.topology().readTable().name();
        pipeline.dynamo().scanPaginator(scan -> scan.tableName(table).filterExpression("begins_with(pk, :prefix)")
                        .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(prefix))))
                .items().forEach(item -> pipeline.dynamo().deleteItem(delete -> delete.tableName(table).key(ViewRow.keyOf(item.get("pk").s()))));
    }

    /** The data of every record in the published-events stream, shard by shard, oldest first. */
    static List<String> publishedRecords(LocalPipeline pipeline) {
        URI endpoint = pipeline.endpoints().get("Kinesis (kinesalite)");
        String stream = pipeline.topology().publishedEventsStream();
        List<String> records = new ArrayList<>();
        try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
                String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (iterator != null) {
                    String current = iterator;
                    var page = kinesis.getRecords(b -> b.shardIterator(current));
                    page.records().forEach(record -> records.add(record.data().asUtf8String()));
                    iterator = page.records().isEmpty() ? null : page.nextShardIterator();
                }
            }
        }
        return records;
    }
}
