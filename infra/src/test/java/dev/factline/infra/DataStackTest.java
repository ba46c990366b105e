package dev.factline.infra;

import dev.factline.functions.store.EventTable;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.ReadTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DataStackTest {

    private static final Settings SETTINGS = TestApps.settings();
    private static final Topology TOPOLOGY = Topology.standard(SETTINGS.prefix());
    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestApps.stacks(SETTINGS).data());
    }

    @Nested
    class The_event_table {

        @Test
        void has_the_declared_name_and_keys_on_demand() {
            template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                    "TableName", TOPOLOGY.eventTable().name(),
                    "BillingMode", "PAY_PER_REQUEST",
                    "KeySchema", List.of(
                            Map.of("AttributeName", EventTable.PARTITION_KEY, "KeyType", "HASH"),
                            Map.of("AttributeName", EventTable.SORT_KEY, "KeyType", "RANGE")),
                    "AttributeDefinitions", Match.arrayWith(List.of(
                            Map.of("AttributeName", EventTable.PARTITION_KEY, "AttributeType", "S"),
                            Map.of("AttributeName", EventTable.SORT_KEY, "AttributeType", "N"))))));
        }

        @Test
        void streams_new_images_and_expires_idempotency_claims_by_ttl() {
            template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                    "TableName", TOPOLOGY.eventTable().name(),
                    "StreamSpecification", Map.of("StreamViewType", EventTable.STREAM_VIEW.toString()),
                    "TimeToLiveSpecification", Map.of("AttributeName", EventTable.TTL_ATTRIBUTE, "Enabled", true))));
        }

        @Test
        void is_recoverable_protected_encrypted_and_retained() {
            keptTable(TOPOLOGY.eventTable().name());
        }
    }

    @Nested
    class The_read_table {

        @Test
        void has_the_declared_key_and_the_customer_orders_index() {
            template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                    "TableName", TOPOLOGY.readTable().name(),
                    "BillingMode", "PAY_PER_REQUEST",
                    "KeySchema", List.of(Map.of("AttributeName", ReadTable.PARTITION_KEY, "KeyType", "HASH")),
                    "GlobalSecondaryIndexes", List.of(Match.objectLike(Map.of(
                            "IndexName", ReadTable.LISTINGS_INDEX,
                            "KeySchema", List.of(
                                    Map.of("AttributeName", ReadTable.LIST_KEY, "KeyType", "HASH"),
                                    Map.of("AttributeName", ReadTable.LIST_POSITION, "KeyType", "RANGE")),
                            "Projection", Map.of("ProjectionType", "INCLUDE",
                                    "NonKeyAttributes", List.of(ReadTable.VERSION, ReadTable.VIEW))))))));
        }

        @Test
        void has_no_stream() {
            template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                    "TableName", TOPOLOGY.readTable().name(),
                    "StreamSpecification", Match.absent())));
        }

        @Test
        void is_recoverable_protected_encrypted_and_retained() {
            keptTable(TOPOLOGY.readTable().name());
        }
    }

    @Test
    void the_published_events_stream_is_on_demand_encrypted_and_retained() {
        template.hasResource("AWS::Kinesis::Stream", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of(
                        "Name", TOPOLOGY.publishedEventsStream(),
                        "StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"),
                        "StreamEncryption", Map.of("EncryptionType", "KMS", "KeyId", "alias/aws/kinesis"))),
                "DeletionPolicy", "Retain")));
        template.resourceCountIs("AWS::Kinesis::Stream", 1);
    }

    @Test
    void the_master_key_of_personal_data_is_the_stage_s_own_rotated_and_retained() {
        template.hasResource("AWS::KMS::Key", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("EnableKeyRotation", true, "PendingWindowInDays", 30)),
                "DeletionPolicy", "Retain")));
    }

    @Nested
    class The_payload_bucket {

        @Test
        void is_encrypted_with_its_own_kms_key_and_a_bucket_key() {
            template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                    "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
                            "BucketKeyEnabled", true,
                            "ServerSideEncryptionByDefault", Match.objectLike(Map.of("SSEAlgorithm", "aws:kms",
                                    "KMSMasterKeyID", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of(Match.stringLikeRegexp("PayloadKey.*"))))))))))))));
        }

        @Test
        void blocks_all_public_access_and_refuses_plain_http() {
            template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of("PublicAccessBlockConfiguration", Map.of(
                    "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true))));
            template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                    "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny", "Action", "s3:*",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
        }

        @Test
        void expires_only_what_no_event_can_name_and_is_retained() {
            template.hasResource("AWS::S3::Bucket", Match.objectLike(Map.of(
                    "Properties", Match.objectLike(Map.of(
                            "VersioningConfiguration", Map.of("Status", "Enabled"),
                            "LifecycleConfiguration", Map.of("Rules", List.of(Map.of(
                                    "Id", "only-unreachable-data-expires",
                                    "Status", "Enabled",
                                    "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                                    "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30)))))),
                    "DeletionPolicy", "Retain")));
        }
    }

    @Test
    void it_holds_two_tables_one_stream_one_bucket_and_two_keys_and_nothing_else() {
        template.resourceCountIs("AWS::DynamoDB::Table", 2);
        template.resourceCountIs("AWS::Kinesis::Stream", 1);
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.resourceCountIs("AWS::KMS::Key", 2);
        template.resourceCountIs("AWS::Lambda::Function", 0);
    }

    @Test
    void it_outputs_the_table_and_stream_names() {
        for (String output : List.of("EventTableName", "ReadTableName", "PublishedEventsStreamName")) {
            template.hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
    }

    private static void keptTable(String name) {
        template.hasResource("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of(
                        "TableName", name,
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "DeletionProtectionEnabled", true,
                        "SSESpecification", Map.of("SSEEnabled", true))),
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain")));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class The_local_variant {

        private Template local;

        @BeforeAll
        void synthesize() {
            local = Template.fromStack(TestApps.stacks(SETTINGS.asLocal(Optional.empty())).data());
        }

        @Test
        void removes_its_tables_and_stream_with_the_stack() {
            local.allResources("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                    "Properties", Match.objectLike(Map.of("DeletionProtectionEnabled", false)),
                    "DeletionPolicy", "Delete")));
            local.allResources("AWS::Kinesis::Stream", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
        }

        @Test
        void keeps_the_same_table_shapes() {
            local.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                    "TableName", TOPOLOGY.eventTable().name(),
                    "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"),
                    "TimeToLiveSpecification", Map.of("AttributeName", EventTable.TTL_ATTRIBUTE, "Enabled", true))));
        }
    }
}
