package dev.factline.infra;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.TableProps;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * A table's shape as the functions declare it ({@code EventTable.createTableRequest()},
 * {@code ReadTable.createTableRequest()}: the request the local pipeline sends) turned into the
 * CDK's: name, keys, billing, stream and global secondary indexes. Nothing about a table's shape
 * is written twice.
 */
final class TableShapes {

    private TableShapes() {
    }

    /** Name, keys, billing mode and stream; the caller adds what only a deployment has (backups, protection). */
    static TableProps.Builder table(CreateTableRequest shape) {
        Map<String, AttributeType> types = types(shape);
        TableProps.Builder table = TableProps.builder()
                .tableName(shape.tableName())
                .partitionKey(key(shape.keySchema(), KeyType.HASH, types))
                .billingMode(switch (shape.billingMode()) {
                    case PAY_PER_REQUEST -> BillingMode.PAY_PER_REQUEST;
                    case PROVISIONED -> BillingMode.PROVISIONED;
                    default -> throw new IllegalArgumentException(shape.tableName() + ": unknown billing mode " + shape.billingModeAsString());
                });
        if (shape.keySchema().stream().anyMatch(element -> element.keyType() == KeyType.RANGE)) {
            table.sortKey(key(shape.keySchema(), KeyType.RANGE, types));
        }
        if (shape.streamSpecification() != null && Boolean.TRUE.equals(shape.streamSpecification().streamEnabled())) {
            table.stream(StreamViewType.valueOf(shape.streamSpecification().streamViewTypeAsString()));
        }
        return table;
    }

    /** The table's global secondary indexes, keys and projections as declared. */
    static List<GlobalSecondaryIndexProps> indexes(CreateTableRequest shape) {
        Map<String, AttributeType> types = types(shape);
        return shape.globalSecondaryIndexes().stream().map(index -> index(index, types)).toList();
    }

    private static GlobalSecondaryIndexProps index(GlobalSecondaryIndex index, Map<String, AttributeType> types) {
        GlobalSecondaryIndexProps.Builder props = GlobalSecondaryIndexProps.builder()
                .indexName(index.indexName())
                .partitionKey(key(index.keySchema(), KeyType.HASH, types))
                .projectionType(ProjectionType.valueOf(index.projection().projectionTypeAsString()));
        if (index.keySchema().stream().anyMatch(element -> element.keyType() == KeyType.RANGE)) {
            props.sortKey(key(index.keySchema(), KeyType.RANGE, types));
        }
        if (index.projection().hasNonKeyAttributes()) {
            props.nonKeyAttributes(index.projection().nonKeyAttributes());
        }
        return props.build();
    }

    private static Map<String, AttributeType> types(CreateTableRequest shape) {
        return shape.attributeDefinitions().stream().collect(Collectors.toMap(AttributeDefinition::attributeName,
                definition -> switch (definition.attributeType()) {
                    case S -> AttributeType.STRING;
                    case N -> AttributeType.NUMBER;
                    case B -> AttributeType.BINARY;
                    default -> throw new IllegalArgumentException("unknown attribute type " + definition.attributeTypeAsString());
                }));
    }

    private static Attribute key(List<KeySchemaElement> schema, KeyType role, Map<String, AttributeType> types) {
        String name = schema.stream().filter(element -> element.keyType() == role).map(KeySchemaElement::attributeName)
                .findFirst().orElseThrow();
        return Attribute.builder().name(name).type(types.get(name)).build();
    }
}
