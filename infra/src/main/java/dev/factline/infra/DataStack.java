package dev.factline.infra;

import dev.factline.functions.store.EventTable;
import dev.factline.functions.topology.Topology;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.dynamodb.TableProps;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * What Factline keeps: the event table (commits, snapshots and idempotency claims, with the
 * stream the triggers read), the read table, and the Kinesis stream events are published to.
 * Apart from the service stack so that the service can be torn down and redeployed while the data
 * stays; on AWS every table is retained, deletion-protected and point-in-time recoverable.
 */
public final class DataStack extends Stack {

    /** What the data stack is built from. */
    public record Props(StackProps stack, Topology topology, Settings settings) {
        public Props {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(settings, "settings");
        }
    }

    private final Table eventTable;
    private final Table readTable;
    private final Stream publishedEvents;
    private final Key masterKey;
    private final Key payloadKey;
    private final Bucket payloadBucket;

    public DataStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        Topology topology = props.topology();
        boolean kept = !props.settings().local();

        eventTable = table("EventTable", TableShapes.table(topology.eventTable().createTableRequest())
                .timeToLiveAttribute(EventTable.TTL_ATTRIBUTE), kept);
        readTable = table("ReadTable", TableShapes.table(topology.readTable().createTableRequest()), kept);
        TableShapes.indexes(topology.readTable().createTableRequest()).forEach(readTable::addGlobalSecondaryIndex);
        TableShapes.indexes(topology.eventTable().createTableRequest()).forEach(eventTable::addGlobalSecondaryIndex);

        publishedEvents = Stream.Builder.create(this, "PublishedEvents")
                .streamName(topology.publishedEventsStream())
                .streamMode(StreamMode.ON_DEMAND)
                .encryption(StreamEncryption.MANAGED)
                .removalPolicy(kept ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();

        // The stage's own key for subjects' data keys: rotated yearly (old versions still unwrap), kept when the stack goes,
        // since every sealed field of every event depends on it. Forgetting never deletes it: it shreds one subject's data key.
        masterKey = stageKey("PersonalDataMasterKey", props.settings().stage() + ": wraps subjects' data keys (personal data, crypto-shredding)",
                kept);

        // Claim-checked payloads (docs/decisions/claim-checks.md), under keys that are their digests: an object is written once
        // and read by every reader of the event table. Its own key, so that the master key's grants keep their subject condition.
        payloadKey = stageKey("PayloadKey", props.settings().stage() + ": encrypts the payloads too large for their events (S3, SSE-KMS)",
                kept);
        payloadBucket = Bucket.Builder.create(this, "PayloadBucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(payloadKey)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                // No expiry of current objects: any event, forever, may name one. Only what no reader can reach goes:
                // uploads cut short, and versions a later put of the same digest (the same bytes) replaced.
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("only-unreachable-data-expires")
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .noncurrentVersionExpiration(Duration.days(30))
                        .build()))
                .removalPolicy(kept ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        NagSuppressions.addResourceSuppressions(payloadBucket, List.of(NagPackSuppression.builder().id("AwsSolutions-S1")
                .reason("only the stack's functions read and write it, under their roles; CloudTrail records who did, and a log "
                        + "bucket would hold one line per event read")
                .build()));

        output("EventTableName", eventTable.getTableName(), "the DynamoDB event table");
        output("ReadTableName", readTable.getTableName(), "the DynamoDB read table");
        output("PublishedEventsStreamName", publishedEvents.getStreamName(), "the Kinesis stream events are published to");
    }

    public Table eventTable() {
        return eventTable;
    }

    public Table readTable() {
        return readTable;
    }

    public Stream publishedEvents() {
        return publishedEvents;
    }

    /** The KMS key that wraps subjects' data keys. */
    public Key masterKey() {
        return masterKey;
    }

    /** A KMS key of the stage's own: rotated yearly (old versions still decrypt), 30 days' pending window, kept on AWS. */
    private Key stageKey(String id, String purpose, boolean kept) {
        return Key.Builder.create(this, id)
                .description("Factline " + purpose)
                .enableKeyRotation(true)
                .removalPolicy(kept ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .pendingWindow(Duration.days(30))
                .build();
    }

    /** The bucket of claim-checked payloads. */
    public Bucket payloadBucket() {
        return payloadBucket;
    }

    /** The key the payload bucket encrypts with. */
    public Key payloadKey() {
        return payloadKey;
    }

    /**
     * On AWS: retained when the stack goes, deletion-protected, point-in-time recoverable,
     * encrypted with the AWS-managed key. Locally (LocalStack) a table goes with its stack.
     */
    private Table table(String id, TableProps.Builder shape, boolean kept) {
        return new Table(this, id, shape
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(kept)
                .removalPolicy(kept ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .encryption(TableEncryption.AWS_MANAGED)
                .build());
    }

    private void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }
}
