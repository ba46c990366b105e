package dev.factline.infra;

import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.personal.KmsMasterKey;
import dev.factline.functions.topology.Access;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import dev.factline.functions.view.HostedReadModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * A function's grants in the topology ({@link FunctionSpec#grants()}) as IAM statements: exactly
 * the actions the functions call, on exactly the resources they reach. No {@code *} action and
 * no {@code *} resource: a table's statement names the table and its indexes, a stream's the
 * stream. The cache ({@link Access#CONNECT}) is a network grant, not an IAM one: security groups
 * carry it (see {@link ViewCacheCluster}).
 *
 * <p>The actions are what the functions' code calls, so a new call needs a new action here:
 * GetItem, BatchGetItem and Query to read, Scan only for a rebuild ({@link Access#SCAN}); PutItem and UpdateItem to write (TransactWriteItems is
 * authorized item by item as PutItem and UpdateItem); an event store only reads and puts
 * ({@link Access#APPEND}), so its functions cannot rewrite an event. No DeleteItem: events are never deleted, and idempotency
 * claims expire through the table's TTL.
 */
final class Grants {

    static final List<String> TABLE_READ = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query");
    /** A rebuild's read of the whole history: Scan besides the reads its fold makes of a stream's gap. */
    static final List<String> TABLE_SCAN = Stream.concat(TABLE_READ.stream(), Stream.of("dynamodb:Scan")).toList();
    static final List<String> TABLE_WRITE = List.of("dynamodb:PutItem", "dynamodb:UpdateItem");
    /** What the event store calls: it reads and appends, and never changes a stored item. */
    static final List<String> TABLE_APPEND = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem");
    /** What a commit needs of the rows of inline read models: read one before folding on it, put it in the commit's transaction. */
    static final List<String> TABLE_INLINE_VIEWS = List.of("dynamodb:GetItem", "dynamodb:PutItem");
    /** What Lambda's event source mapping needs of the function's role to read a table's stream. */
    static final List<String> STREAM_READ = List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator");
    /** ListStreams names no stream: IAM matches it against the table's streams, {@code <table ARN>/stream/*}. */
    static final List<String> STREAM_LIST = List.of("dynamodb:ListStreams");
    static final List<String> KINESIS_WRITE = List.of("kinesis:PutRecords");
    /** A writer issues subjects' data keys and unwraps them; a reader only unwraps. */
    static final List<String> KMS_ENCRYPT = List.of("kms:GenerateDataKey", "kms:Decrypt");
    static final List<String> KMS_DECRYPT = List.of("kms:Decrypt");
    static final List<String> S3_APPEND = List.of("s3:GetObject", "s3:PutObject");
    static final List<String> S3_READ = List.of("s3:GetObject");
    /** The keys claim checks write for event payloads ({@code PayloadClaim.PAYLOADS}). */
    static final String PAYLOAD_OBJECTS = "payloads/sha256/*";
    /** The keys claim checks write for large read-table views ({@code PayloadClaim.VIEWS}). */
    static final String VIEW_OBJECTS = "views/sha256/*";


    /** The resources a deployed function may be granted, with the indexes of each table. */
    record Targets(ITable eventTable, List<String> eventTableIndexes, ITable readTable, List<String> readTableIndexes,
                   IStream publishedEvents, IKey masterKey, IBucket payloadBucket, IKey payloadKey) {
        Targets {
            Objects.requireNonNull(payloadBucket, "payloadBucket");
            Objects.requireNonNull(payloadKey, "payloadKey");
            Objects.requireNonNull(masterKey, "masterKey");
            Objects.requireNonNull(eventTable, "eventTable");
            Objects.requireNonNull(readTable, "readTable");
            Objects.requireNonNull(publishedEvents, "publishedEvents");
            eventTableIndexes = List.copyOf(eventTableIndexes);
            readTableIndexes = List.copyOf(readTableIndexes);
        }
    }

    private Grants() {
    }

    /** The IAM statements for everything {@code function} may do, in the order of {@link Resource}. */
    static List<PolicyStatement> of(FunctionSpec function, Targets targets) {
        List<PolicyStatement> statements = new ArrayList<>();
        for (Resource resource : Resource.values()) {
            Access access = function.grants().get(resource);
            if (access != null) {
                statements.addAll(of(function, resource, access, targets));
            }
        }
        return statements;
    }

    private static List<PolicyStatement> of(FunctionSpec spec, Resource resource, Access access, Targets targets) {
        String function = spec.name();
        return switch (resource) {
            case EVENT_TABLE -> table(function, resource, access, targets.eventTable(), targets.eventTableIndexes());
            case READ_TABLE -> table(function, resource, access, targets.readTable(), targets.readTableIndexes());
            case EVENT_STREAM -> {
                requireAccess(function, resource, access, Access.READ);
                String streamArn = Objects.requireNonNull(targets.eventTable().getTableStreamArn(), "the event table has no stream");
                yield List.of(allow(STREAM_READ, List.of(streamArn)),
                        allow(STREAM_LIST, List.of(targets.eventTable().getTableArn() + "/stream/*")));
            }
            case PUBLISHED_EVENTS -> {
                requireAccess(function, resource, access, Access.WRITE);
                yield List.of(allow(KINESIS_WRITE, List.of(targets.publishedEvents().getStreamArn())));
            }
            case VIEW_CACHE -> {
                requireAccess(function, resource, access, Access.CONNECT);
                yield List.of();
            }
            case MASTER_KEY -> List.of(masterKey(function, access, targets.masterKey()));
            case PAYLOAD_BUCKET -> payloads(function, access, spec.grants().get(Resource.READ_TABLE), targets.payloadBucket(), targets.payloadKey());
        };
    }

    private static List<PolicyStatement> table(String function, Resource resource, Access access, ITable table, List<String> indexes) {
        if (access == Access.INLINE_VIEWS) {
            return List.of(inlineViews(function, resource, table));
        }
        List<String> actions = switch (access) {
            case READ -> TABLE_READ;
            case SCAN -> TABLE_SCAN;
            case APPEND -> TABLE_APPEND;
            case READ_WRITE -> Stream.concat(TABLE_READ.stream(), TABLE_WRITE.stream()).toList();
            case INLINE_VIEWS, WRITE, CONNECT, ENCRYPT, DECRYPT -> throw refused(function, resource, access);
        };
        List<String> resources = new ArrayList<>();
        resources.add(table.getTableArn());
        indexes.forEach(index -> resources.add(table.getTableArn() + "/index/" + index));
        return List.of(allow(actions, resources));
    }

    /**
     * GetItem and PutItem on the read table, only on the keys of the hosted inline read models:
     * IAM's {@code dynamodb:LeadingKeys} names each model's key space, so a command function cannot
     * touch a row the projector keeps.
     */
    private static PolicyStatement inlineViews(String function, Resource resource, ITable table) {
        List<String> spaces = HostedReadModels.STANDARD.all().stream()
                .filter(model -> model instanceof StreamView<?, ?> view && view.inline())
                .map(model -> model.space() + "/*")
                .toList();
        if (resource != Resource.READ_TABLE || spaces.isEmpty()) {
            throw refused(function, resource, Access.INLINE_VIEWS);
        }
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(TABLE_INLINE_VIEWS)
                .resources(List.of(table.getTableArn()))
                .conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", spaces)))
                .build();
    }

    /** The master key's actions on that key alone, and only with the subject ({@link KmsMasterKey#CONTEXT_KEY}) as the encryption context. */
    private static PolicyStatement masterKey(String function, Access access, IKey key) {
        List<String> actions = switch (access) {
            case ENCRYPT -> KMS_ENCRYPT;
            case DECRYPT -> KMS_DECRYPT;
            default -> throw refused(function, Resource.MASTER_KEY, access);
        };
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("ForAllValues:StringEquals", Map.of("kms:EncryptionContextKeys", List.of(KmsMasterKey.CONTEXT_KEY)),
                        "Null", Map.of("kms:EncryptionContextKeys", "false")))
                .build();
    }

    /**
     * The payload bucket's objects: under {@code payloads/}, a writer of events (APPEND) gets and puts
     * them, a reader (READ) only gets them; under {@code views/}, the large views of the read table,
     * as the function uses the read table ({@code readTable}): a writer of rows (READ_WRITE, INLINE_VIEWS)
     * gets and puts them, a reader gets them, a function without the read table has none. Each with the
     * bucket key's use that S3 makes on its behalf (GenerateDataKey to put, Decrypt to get), only
     * through S3.
     */
    private static List<PolicyStatement> payloads(String function, Access access, @Nullable Access readTable, IBucket bucket, IKey key) {
        boolean putsPayloads = switch (access) {
            case APPEND -> true;
            case READ -> false;
            default -> throw refused(function, Resource.PAYLOAD_BUCKET, access);
        };
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(allow(putsPayloads ? S3_APPEND : S3_READ, List.of(bucket.arnForObjects(PAYLOAD_OBJECTS))));
        boolean putsViews = readTable == Access.READ_WRITE || readTable == Access.INLINE_VIEWS;
        if (putsViews || readTable == Access.READ) {
            statements.add(allow(putsViews ? S3_APPEND : S3_READ, List.of(bucket.arnForObjects(VIEW_OBJECTS))));
        }
        statements.add(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(putsPayloads || putsViews ? KMS_ENCRYPT : KMS_DECRYPT)
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "s3." + Stack.of(bucket).getRegion() + ".amazonaws.com")))
                .build());
        return statements;
    }

    private static void requireAccess(String function, Resource resource, Access access, Access only) {
        if (access != only) {
            throw refused(function, resource, access);
        }
    }

    private static IllegalArgumentException refused(String function, Resource resource, Access access) {
        return new IllegalArgumentException(function + " is granted " + access + " on " + resource + ", which the stack cannot give");
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }
}
