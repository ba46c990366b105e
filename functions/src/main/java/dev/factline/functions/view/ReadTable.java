package dev.factline.functions.view;

import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The read table's shape, declared once for the CDK stack, the local pipeline and the tests.
 *
 * <p>One table holds every read model, keyed by {@value #PARTITION_KEY}:
 * <ul>
 *   <li>a view row per stream and {@link dev.factline.eventsourcing.StreamView} read model, at
 *       {@code <model>@<version>/<stream id>} ({@code account-view@1/account#a-1}), with the
 *       stream {@value #VERSION} it reflects and the view as JSON ({@value #VIEW}); the views of a
 *       model with a listing also carry {@value #LIST_KEY} ({@code <model>@<version>/<listing>/<owner>})
 *       and {@value #LIST_POSITION}, the keys of the {@value #LISTINGS_INDEX} index, which serves
 *       every listing (a customer's orders, oldest first);
 *   <li>each {@link dev.factline.eventsourcing.Tally}'s shard rows, {@code <tally>@<version>/0..}, of
 *       counters that add up to it ({@link TallyRows});
 *   <li>{@code cache#generation}: which Redis entries can be trusted (see
 *       {@link CacheGeneration}).
 * </ul>
 * A model's version in its keys lets a rebuild write a new version beside the one being served.
 * One table rather than one per view: a batch reads every row it needs in one BatchGetItem and
 * writes them in one transaction, and the stack has one table to grant, back up and alarm on.
 */
public record ReadTable(String name) {

    public static final String PARTITION_KEY = "pk";
    public static final String VERSION = "version";
    public static final String VIEW = "view";
    /** Which list a view is in: its model's space, the listing's name and the owner. */
    public static final String LIST_KEY = "listKey";
    /** Where the view sorts in its list, as text. */
    public static final String LIST_POSITION = "listPosition";
    public static final String LISTINGS_INDEX = "listings";

    public ReadTable {
        Objects.requireNonNull(name, "name");
        if (name.length() < 3 || name.length() > 255) {
            throw new IllegalArgumentException("a DynamoDB table name is 3-255 characters, but got '" + name + "'");
        }
    }

    /** The table as the local pipeline and the tests create it (on-demand, no stream). */
    public CreateTableRequest createTableRequest() {
        return CreateTableRequest.builder()
                .tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build())
                .attributeDefinitions(
                        attribute(PARTITION_KEY), attribute(LIST_KEY), attribute(LIST_POSITION))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(LISTINGS_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(LIST_KEY).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(LIST_POSITION).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes(VERSION, VIEW).build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
