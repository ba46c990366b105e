package dev.factline.functions.command;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The command function as deployed, on this JVM's dynalite: an event table of its own, and
 * containers over it, each a {@link CommandFunction} built with the public constructor on the
 * real clock, random ids and the default write policy (jittered retries included). A container
 * has its own store and function, so its own memory of the streams it wrote; containers share
 * the SDK client, which holds nothing about the table.
 *
 * <p>It also reads the table behind the function's back, as an operator would: item counts and
 * a stream's commit items.
 */
final class LocalDeployment {

    private final EventTable table;
    private final DynamoDbClient dynamo;

    private LocalDeployment(EventTable table, DynamoDbClient dynamo) {
        this.table = table;
        this.dynamo = dynamo;
    }

    /** A new, empty event table named {@code prefix-<uuid>}, ready for writes. */
    static LocalDeployment withNewTable(String prefix) {
        LocalDynamo server = LocalDynamo.shared();
        EventTable table = new EventTable(prefix + "-" + UUID.randomUUID());
        server.createTable(table);
        return new LocalDeployment(table, server.client());
    }

    /** A fresh container: a cold start, remembering nothing. */
    CommandFunction newContainer() {
        return new CommandFunction(store(), Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
    }

    /** A store on the table, for reading what the functions wrote. */
    DynamoDbEventStore store() {
        return new DynamoDbEventStore(dynamo, table, StoreLimits.defaults(), Clock.systemUTC());
    }

    /** Every item in the table (commits, snapshots, idempotency claims), by a consistent scan, page by page. */
    long itemCount() {
        ScanRequest count = ScanRequest.builder()
                .tableName(table.name())
                .select(Select.COUNT)
                .consistentRead(true)
                .build();
        return dynamo.scanPaginator(count).stream().mapToLong(ScanResponse::count).sum();
    }

    /** The commit items of a stream, as stored, by a consistent query, page by page. */
    List<Map<String, AttributeValue>> commitItems(StreamId stream) {
        QueryRequest commits = QueryRequest.builder()
                .tableName(table.name())
                .consistentRead(true)
                .keyConditionExpression("#pk = :stream")
                .filterExpression("#kind = :commit")
                .expressionAttributeNames(Map.of("#pk", EventTable.PARTITION_KEY, "#kind", EventTable.KIND))
                .expressionAttributeValues(Map.of(
                        ":stream", AttributeValue.fromS(stream.toString()),
                        ":commit", AttributeValue.fromS(EventTable.COMMIT)))
                .build();
        return dynamo.queryPaginator(commits).items().stream().toList();
    }

    static APIGatewayV2HTTPResponse send(CommandFunction container, HttpApiEvents.Request request) {
        return container.handleRequest(request.event(), null);
    }
}
