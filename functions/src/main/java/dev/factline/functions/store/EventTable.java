package dev.factline.functions.store;

import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The event table's shape, declared once: the CDK stack, the local pipeline and the tests all
 * build it from here.
 *
 * <p>Keys are generic ({@code pk}, {@code sk}) because the table holds four kinds of item
 * ({@link #KIND}): a commit lives at {@code (streamId, firstVersion)}, a snapshot at
 * {@code (streamId, version + 0.5)}, an idempotency claim at {@code ("idempotency#" + key, 0)},
 * a unique value's claim at {@code ("unique#" + streamType + "/" + name + "/" + value, 0)}, a
 * subject's wrapped data key at {@code ("subject-key#" + subject, 0)} ({@link #SUBJECT_KEY}).
 */
public record EventTable(String name) {

    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    /** Which kind of item this is: {@link #COMMIT}, {@link #SNAPSHOT}, {@link #CLAIM} or {@link #UNIQUE}; stream filters select on it. */
    public static final String KIND = "kind";
    public static final String COMMIT = "commit";
    public static final String SNAPSHOT = "snapshot";
    public static final String CLAIM = "idempotency";
    public static final String UNIQUE = "unique";
    /** A subject's data key, wrapped; the one kind of item an erasure overwrites (dev.factline.functions.personal). */
    public static final String SUBJECT_KEY = "subject-key";
    /** Epoch seconds after which DynamoDB's TTL may delete an idempotency claim. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** Projectors read new images only; events are never updated. */
    public static final StreamViewType STREAM_VIEW = StreamViewType.NEW_IMAGE;


    public EventTable {
        Objects.requireNonNull(name, "name");
        if (name.length() < 3 || name.length() > 255) {
            throw new IllegalArgumentException("a DynamoDB table name is 3-255 characters, but got '" + name + "'");
        }
    }


    /** The table as the local pipeline and the tests create it (on-demand, with its stream). */
    public CreateTableRequest createTableRequest() {
        return CreateTableRequest.builder()
                .tableName(name)
                .keySchema(
                        KeySchemaElement.builder().attributeName(PARTITION_KEY).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SORT_KEY).keyType(KeyType.RANGE).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PARTITION_KEY).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SORT_KEY).attributeType(ScalarAttributeType.N).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType(STREAM_VIEW).build())
                .build();
    }

    /**
     * TTL on {@link #TTL_ATTRIBUTE}, as the CDK stack declares it. CreateTable cannot set it, so the
     * local pipeline and the tests send this once the table is ACTIVE.
     */
    public UpdateTimeToLiveRequest timeToLiveRequest() {
        return UpdateTimeToLiveRequest.builder()
                .tableName(name)
                .timeToLiveSpecification(spec -> spec.attributeName(TTL_ATTRIBUTE).enabled(true))
                .build();
    }
}
