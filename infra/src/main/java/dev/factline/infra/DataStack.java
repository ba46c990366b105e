package dev.factline.infra;

import dev.factline.functions.store.EventTable;
import dev.factline.functions.topology.Topology;
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
        masterKey = Key.Builder.create(this, "PersonalDataMasterKey")
                .description("Factline " + props.settings().stage() + ": wraps subjects' data keys (personal data, crypto-shredding)")
                .enableKeyRotation(true)
                .removalPolicy(kept ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .pendingWindow(Duration.days(30))
                .build();

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
