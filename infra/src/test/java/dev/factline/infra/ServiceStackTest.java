package dev.factline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.explorer.ExplorerFunction;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.rebuild.RebuildStep;
import dev.factline.functions.topology.Access;
import dev.factline.functions.topology.ApiRoute;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import dev.factline.functions.topology.StreamTrigger;
import dev.factline.functions.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServiceStackTest {

    private static final String REDIS_URL = FunctionSettings.REDIS_URL.name();
    private static final Settings SETTINGS = TestApps.settings();
    private static final Topology TOPOLOGY = Topology.standard(SETTINGS.prefix());

    private static Template template;
    private static TemplateQueries find;
    /** The data stack's logical ids of the event table, the read table and the published-events stream. */
    private static String eventTableId;
    private static String readTableId;
    private static String publishedEventsId;
    private static String masterKeyId;
    private static String payloadKeyId;
    private static String payloadBucketId;

    @BeforeAll
    static void synthesize() {
        FactlineApp.Stacks stacks = TestApps.stacks(SETTINGS);
        template = Template.fromStack(stacks.service());
        find = new TemplateQueries(template);
        TemplateQueries data = new TemplateQueries(Template.fromStack(stacks.data()));
        eventTableId = data.onlyId("AWS::DynamoDB::Table", Map.of("TableName", TOPOLOGY.eventTable().name()));
        readTableId = data.onlyId("AWS::DynamoDB::Table", Map.of("TableName", TOPOLOGY.readTable().name()));
        publishedEventsId = data.onlyId("AWS::Kinesis::Stream", Map.of("Name", TOPOLOGY.publishedEventsStream()));
        masterKeyId = data.onlyId("AWS::KMS::Key", Map.of("Description", Match.stringLikeRegexp(".*wraps subjects' data keys.*")));
        payloadKeyId = data.onlyId("AWS::KMS::Key", Map.of("Description", Match.stringLikeRegexp(".*payloads too large.*")));
        payloadBucketId = data.onlyId("AWS::S3::Bucket", Map.of());
    }

    /** The integration the route with {@code routeKey} sends its requests to. */
    private static Map<String, Object> integrationOf(String routeKey) {
        String routeId = find.onlyId("AWS::ApiGatewayV2::Route", Map.of("RouteKey", routeKey));
        String target = TemplateQueries.json(find.properties(routeId).get("Target"));
        return find.properties(target.replaceAll(".*\\{\"Ref\":\"([^\"]+)\"}.*", "$1"));
    }

    @Nested
    class The_network {

        @Test
        void is_two_isolated_subnets_with_no_way_to_the_internet() {
            template.resourceCountIs("AWS::EC2::VPC", 1);
            template.resourceCountIs("AWS::EC2::Subnet", 2);
            template.allResourcesProperties("AWS::EC2::Subnet", Match.objectLike(Map.of("MapPublicIpOnLaunch", false)));
            template.resourceCountIs("AWS::EC2::InternetGateway", 0);
            template.resourceCountIs("AWS::EC2::NatGateway", 0);
        }

        @Test
        void reaches_dynamodb_through_a_gateway_endpoint_and_kinesis_through_an_interface_endpoint() {
            template.hasResourceProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of(
                    "VpcEndpointType", "Gateway",
                    "ServiceName", serviceName("dynamodb"))));
            template.hasResourceProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of(
                    "VpcEndpointType", "Interface",
                    "PrivateDnsEnabled", true,
                    "ServiceName", serviceName("kinesis-streams"))));
            template.resourceCountIs("AWS::EC2::VPCEndpoint", 2);
        }

        @Test
        void logs_its_flows() {
            template.hasResourceProperties("AWS::EC2::FlowLog", Match.objectLike(Map.of("ResourceType", "VPC", "TrafficType", "ALL")));
        }

        @Test
        void every_function_runs_in_it_with_a_security_group_of_its_own() {
            List<Object> groups = new ArrayList<>();
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> vpc = (Map<String, Object>) find.properties(find.functionId(spec)).get("VpcConfig");
                assertThat(vpc).as(spec.name()).isNotNull();
                assertThat((List<?>) vpc.get("SubnetIds")).as(spec.name()).hasSize(2);
                assertThat((List<?>) vpc.get("SecurityGroupIds")).as(spec.name()).hasSize(1);
                groups.addAll((List<?>) vpc.get("SecurityGroupIds"));
            }
            assertThat(groups).doesNotHaveDuplicates();
        }

        @Test
        void only_the_functions_that_publish_may_reach_the_kinesis_endpoint() {
            String endpointGroup = securityGroupOf("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Interface"));
            assertThat(ingressSources(endpointGroup, 443)).containsExactlyInAnyOrderElementsOf(
                    groupsOfFunctionsGranted(Resource.PUBLISHED_EVENTS, Access.WRITE));
        }
    }

    @Nested
    class The_view_cache {

        @Test
        void is_a_serverless_valkey_cache_in_the_isolated_subnets() {
            template.resourceCountIs("AWS::ElastiCache::ServerlessCache", 1);
            template.hasResourceProperties("AWS::ElastiCache::ServerlessCache", Match.objectLike(Map.of(
                    "Engine", "valkey",
                    "MajorEngineVersion", ViewCacheCluster.MAJOR_ENGINE_VERSION,
                    "ServerlessCacheName", TOPOLOGY.readTable().name(),
                    "SubnetIds", List.of(Match.objectLike(Map.of("Ref", Match.anyValue())), Match.objectLike(Map.of("Ref", Match.anyValue()))))));
        }

        @Test
        void is_reachable_only_from_the_functions_granted_connect() {
            String cacheGroup = securityGroupOf("AWS::ElastiCache::ServerlessCache", Map.of());
            assertThat(ingressSources(cacheGroup, 6379)).containsExactlyInAnyOrderElementsOf(
                    groupsOfFunctionsGranted(Resource.VIEW_CACHE, Access.CONNECT));
            @SuppressWarnings("unchecked")
            List<Object> inline = (List<Object>) find.properties(groupLogicalId(cacheGroup)).get("SecurityGroupIngress");
            assertThat(inline).as("ingress rules inside the cache's group").isNull();
        }

        @Test
        void is_given_to_exactly_the_functions_that_use_it_as_a_tls_url() {
            Map<String, Object> url = Map.of("Fn::Join", List.of("", List.of(
                    "rediss://",
                    Map.of("Fn::GetAtt", List.of(cacheId(), "Endpoint.Address")),
                    ":",
                    Map.of("Fn::GetAtt", List.of(cacheId(), "Endpoint.Port")))));
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                Map<String, Object> variables = variables(find, spec);
                if (spec.environment().get(REDIS_URL) == Resource.VIEW_CACHE) {
                    assertThat(variables).as(spec.name()).containsEntry(REDIS_URL, url);
                } else {
                    assertThat(variables).as(spec.name()).doesNotContainKey(REDIS_URL);
                }
            }
        }

        private String cacheId() {
            return find.onlyId("AWS::ElastiCache::ServerlessCache", Map.of());
        }
    }

    @Nested
    class The_functions {

        @Test
        void are_the_topology_s_java_25_arm64_functions_with_its_memory_timeouts_and_reserved_concurrency() {
            template.resourceCountIs("AWS::Lambda::Function", TOPOLOGY.functions().size());
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                        "Handler", spec.handler(),
                        "Runtime", "java25",
                        "Architectures", List.of("arm64"),
                        "MemorySize", spec.memoryMegabytes(),
                        "Timeout", spec.timeout().toSeconds(),
                        "ReservedConcurrentExecutions", spec.reservedConcurrency().isPresent()
                                ? spec.reservedConcurrency().getAsInt() : Match.absent())));
            }
        }

        @Test
        void start_from_a_snapstart_snapshot_of_a_published_version_behind_the_live_alias() {
            template.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"))));
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                Map<String, Object> alias = find.properties(find.aliasId(spec));
                assertThat(alias).containsEntry("Name", ServiceStack.ALIAS);
                @SuppressWarnings("unchecked")
                List<Object> version = (List<Object>) ((Map<String, Object>) alias.get("FunctionVersion")).get("Fn::GetAtt");
                assertThat(find.resource((String) version.get(0))).containsEntry("Type", "AWS::Lambda::Version");
                assertThat(find.properties((String) version.get(0))).containsEntry("FunctionName", Map.of("Ref", find.functionId(spec)));
            }
        }

        @Test
        void get_the_topology_s_environment_resolved_to_the_data_stack_s_resources() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                Map<String, Object> variables = variables(find, spec);
                spec.settings().forEach((name, value) -> assertThat(variables).as(spec.name()).containsEntry(name, value));
                spec.environment().forEach((name, resource) -> {
                    switch (resource) {
                        case EVENT_TABLE -> assertThat(TemplateQueries.json(variables.get(name))).contains("Ref" + eventTableId);
                        case READ_TABLE -> assertThat(TemplateQueries.json(variables.get(name))).contains("Ref" + readTableId);
                        case PUBLISHED_EVENTS -> assertThat(TemplateQueries.json(variables.get(name))).contains("Ref" + publishedEventsId);
                        case VIEW_CACHE -> assertThat(TemplateQueries.json(variables.get(name))).startsWith("{\"Fn::Join\"");
                        case EVENT_STREAM -> assertThat(TemplateQueries.json(variables.get(name))).contains("StreamArn");
                        case MASTER_KEY -> assertThat(TemplateQueries.json(variables.get(name))).contains(masterKeyId);
                    }
                });
                Set<String> expected = new HashSet<>(spec.settings().keySet());
                expected.addAll(spec.environment().keySet());
                expected.add(ServiceStack.JAVA_TOOL_OPTIONS);
                assertThat(variables.keySet()).as(spec.name()).containsExactlyInAnyOrderElementsOf(expected);
            }
        }

        /** The local query function gave up on Redis after 500 ms where the deployed one did after 250 ms; both read the topology's now. */
        @Test
        void give_up_on_redis_after_the_timeout_the_topology_gives_them() {
            String timeout = FunctionSettings.REDIS_TIMEOUT_MS.name();

            assertThat(variables(find, TOPOLOGY.function(Topology.QUERY))).containsEntry(timeout, "250");
            assertThat(variables(find, TOPOLOGY.function(Topology.PROJECTOR))).containsEntry(timeout, "500");
        }

        @Test
        void run_with_c1_only_as_the_cold_start_benchmark_chose_and_keep_the_stack_of_every_exception() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                assertThat(variables(find, spec)).as(spec.name())
                        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:-OmitStackTraceInFastThrow");
            }
        }

        @Test
        void log_to_a_log_group_of_their_own_kept_for_a_month() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> logging = (Map<String, Object>) find.properties(find.functionId(spec)).get("LoggingConfig");
                @SuppressWarnings("unchecked")
                String group = (String) ((Map<String, Object>) logging.get("LogGroup")).get("Ref");
                assertThat(number(find.properties(group).get("RetentionInDays"))).as(spec.name()).isEqualTo(30);
            }
        }

        @Test
        void a_missing_functions_jar_is_explained_with_the_command_that_builds_it() {
            Path missing = Path.of("target", "no-such-dir", "functions-lambda.jar");
            assertThatThrownBy(() -> TestApps.stacks(SETTINGS.withFunctionsJar(missing)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The functions jar is missing")
                    .hasMessageContaining("./mvnw -B package -DskipTests")
                    .hasMessageContaining("-c functionsJar=");
        }
    }

    @Nested
    class Permissions {

        @Test
        void the_command_function_reads_and_puts_only_the_inline_views_rows_and_cannot_touch_the_stream_or_kinesis() {
            List<TemplateQueries.Statement> statements = dataStatements(Topology.COMMAND);
            assertThat(statements).filteredOn(statement -> statement.touches(readTableId)).singleElement().satisfies(inline -> {
                assertThat(inline.actions()).containsExactlyElementsOf(Grants.TABLE_INLINE_VIEWS);
                assertThat(inline.resources()).as("the table, none of its indexes").hasSize(1);
                assertThat(inline.condition()).isEqualTo("{\"ForAllValues:StringLike\":{\"dynamodb:LeadingKeys\":[\"product-view@1/*\"]}}");
            });
            assertThat(statements).isNotEmpty().allSatisfy(statement -> {
                assertThat(statement.touches(publishedEventsId)).as("%s", statement).isFalse();
                assertThat(statement.resources()).as("%s", statement).noneMatch(resource -> resource.contains("StreamArn"));
            });
            assertThat(statements).anySatisfy(statement -> assertThat(statement.touches(eventTableId) && statement.writes()).isTrue());
            assertThat(statements).filteredOn(statement -> statement.touches(eventTableId))
                    .as("reads and appends, never updates a stored event")
                    .allSatisfy(statement -> assertThat(statement.actions()).containsExactlyElementsOf(Grants.TABLE_APPEND));
        }

        @Test
        void the_projector_writes_the_read_table_and_cannot_write_the_event_table() {
            List<TemplateQueries.Statement> statements = dataStatements(Topology.PROJECTOR);
            assertThat(statements).filteredOn(TemplateQueries.Statement::writes).isNotEmpty()
                    .allSatisfy(statement -> assertThat(statement.resources()).allMatch(resource -> resource.contains(readTableId)));
            assertThat(statements).filteredOn(statement -> statement.touches(eventTableId) && !statement.resources().toString().contains("StreamArn")
                            && !statement.actions().equals(Grants.STREAM_LIST))
                    .isNotEmpty()
                    .allSatisfy(statement -> assertThat(statement.actions()).containsExactlyElementsOf(Grants.TABLE_READ));
        }

        @Test
        void the_query_function_only_reads() {
            assertThat(dataStatements(Topology.QUERY)).isNotEmpty().allSatisfy(statement -> {
                assertThat(statement.writes()).as("%s", statement).isFalse();
                assertThat(statement.actions()).containsExactlyElementsOf(Grants.TABLE_READ);
            });
        }

        @Test
        void the_publisher_reads_the_event_stream_and_only_puts_records_to_kinesis() {
            List<TemplateQueries.Statement> statements = dataStatements(Topology.PUBLISHER);
            assertThat(statements).extracting(TemplateQueries.Statement::actions)
                    .containsExactlyInAnyOrder(Grants.STREAM_READ, Grants.STREAM_LIST, Grants.KINESIS_WRITE);
            assertThat(statements).filteredOn(statement -> statement.actions().equals(Grants.KINESIS_WRITE))
                    .singleElement().satisfies(statement -> assertThat(statement.touches(publishedEventsId)).isTrue());
            assertThat(statements).filteredOn(statement -> !statement.actions().equals(Grants.STREAM_LIST))
                    .noneMatch(statement -> statement.touches(eventTableId + "Arn") || statement.touches(readTableId));
        }

        @Test
        void a_stream_reader_may_list_the_event_table_s_streams_which_iam_matches_as_the_table_s_stream_wildcard() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                List<TemplateQueries.Statement> lists = dataStatements(spec.name()).stream()
                        .filter(statement -> statement.actions().contains("dynamodb:ListStreams")).toList();
                if (spec.grants().get(Resource.EVENT_STREAM) == Access.READ) {
                    assertThat(lists).as(spec.name()).singleElement().satisfies(statement -> {
                        assertThat(statement.actions()).containsExactlyElementsOf(Grants.STREAM_LIST);
                        assertThat(statement.resources()).singleElement().asString()
                                .contains(eventTableId + "Arn").contains("/stream/*");
                    });
                } else {
                    assertThat(lists).as(spec.name()).isEmpty();
                }
            }
        }

        @Test
        void only_the_triggered_functions_read_the_event_stream_and_only_that_stream() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                List<TemplateQueries.Statement> reads = dataStatements(spec.name()).stream()
                        .filter(statement -> statement.actions().contains("dynamodb:GetRecords")).toList();
                if (spec.grants().get(Resource.EVENT_STREAM) == Access.READ) {
                    assertThat(reads).as(spec.name()).singleElement().satisfies(statement -> {
                        assertThat(statement.actions()).containsExactlyElementsOf(Grants.STREAM_READ);
                        assertThat(statement.resources()).singleElement().asString().contains(eventTableId + "StreamArn");
                    });
                } else {
                    assertThat(reads).as(spec.name()).isEmpty();
                }
            }
        }

        @Test
        void the_rebuild_function_scans_the_event_table_writes_the_read_table_and_reaches_no_stream_and_no_kinesis() {
            List<TemplateQueries.Statement> statements = dataStatements(Topology.REBUILD);
            assertThat(statements).filteredOn(statement -> statement.touches(eventTableId)).singleElement()
                    .satisfies(statement -> assertThat(statement.actions()).containsExactlyElementsOf(Grants.TABLE_SCAN));
            assertThat(statements).filteredOn(TemplateQueries.Statement::writes).singleElement()
                    .satisfies(statement -> assertThat(statement.resources()).allMatch(resource -> resource.contains(readTableId)));
            assertThat(statements).hasSize(2).noneMatch(statement -> statement.touches(publishedEventsId)
                    || statement.resources().toString().contains("StreamArn"));
        }

        @Test
        void no_statement_allows_a_wildcard_action_or_a_wildcard_resource_but_what_names_no_resource() {
            assertThat(find.allStatements()).isNotEmpty().allSatisfy(statement -> {
                assertThat(statement.actions()).as("%s", statement).noneMatch(action -> action.contains("*"));
                if (statement.resources().contains("\"*\"")) {
                    assertThat(statement.actions()).as("the state machine's log delivery and traces, which take no resource")
                            .allMatch(action -> action.startsWith("logs:") && action.contains("Deliver") || action.startsWith("logs:Describe")
                                    || action.startsWith("logs:PutResourcePolicy") || action.startsWith("xray:"));
                }
            });
        }

        /** The function's statements, less the on-failure queue's send grant. */
        @Test
        void only_the_command_function_issues_data_keys_only_the_query_function_besides_unwraps_them_and_only_with_a_subject_context() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                List<TemplateQueries.Statement> kms = keyStatements(spec.name());
                switch (spec.name()) {
                    case Topology.COMMAND -> assertThat(kms).singleElement().extracting(TemplateQueries.Statement::actions)
                            .isEqualTo(Grants.KMS_ENCRYPT);
                    case Topology.QUERY -> assertThat(kms).singleElement().extracting(TemplateQueries.Statement::actions)
                            .isEqualTo(Grants.KMS_DECRYPT);
                    default -> assertThat(kms).as("%s holds no master key", spec.name()).isEmpty();
                }
                assertThat(kms).allSatisfy(statement -> {
                    assertThat(statement.resources()).singleElement().satisfies(key -> assertThat(key).contains(masterKeyId));
                    // The template's JSON keeps no order among a condition's operators: compared as trees.
                    assertThat(tree(statement.condition())).isEqualTo(tree("{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":"
                            + "[\"factline:subject\"]},\"Null\":{\"kms:EncryptionContextKeys\":\"false\"}}"));
                });
            }
        }

        @Test
        void writers_get_and_put_payload_objects_readers_only_get_them_and_the_bucket_key_is_used_only_through_s3() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                Access access = spec.grants().get(Resource.PAYLOAD_BUCKET);
                if (spec.name().equals(Topology.EXPLORER)) {
                    // It serves its page and reaches no resource; The_explorer checks it has no statement at all.
                    assertThat(access).isNull();
                    continue;
                }
                assertThat(access).as(spec.name()).isIn(Access.APPEND, Access.READ);
                assertThat(objectActions(spec, "/payloads/sha256/*")).as(spec.name())
                        .isEqualTo(access == Access.APPEND ? Grants.S3_APPEND : Grants.S3_READ);
                List<TemplateQueries.Statement> key = find.statementsOf(spec).stream()
                        .filter(statement -> statement.resources().toString().contains(payloadKeyId)).toList();
                boolean puts = access == Access.APPEND || VIEW_WRITERS.contains(spec.name());
                assertThat(key).as(spec.name()).singleElement().satisfies(statement -> {
                    assertThat(statement.actions()).isEqualTo(puts ? Grants.KMS_ENCRYPT : Grants.KMS_DECRYPT);
                    assertThat(statement.condition()).contains("kms:ViaService").contains("s3.");
                });
            }
            assertThat(TOPOLOGY.functions()).filteredOn(spec -> spec.grants().get(Resource.PAYLOAD_BUCKET) == Access.APPEND)
                    .extracting(FunctionSpec::name).containsExactlyInAnyOrder(Topology.COMMAND, Topology.SAGA);
        }

        /** Who writes read-table rows, and so may put large views' objects: the projector, rebuilds, and the writers of inline views. */
        private static final List<String> VIEW_WRITERS = List.of(Topology.COMMAND, Topology.SAGA, Topology.PROJECTOR, Topology.REBUILD);

        @Test
        void writers_of_rows_get_and_put_view_objects_the_query_only_gets_them_and_the_publisher_has_none() {
            for (String writer : VIEW_WRITERS) {
                assertThat(objectActions(TOPOLOGY.function(writer), "/views/sha256/*")).as(writer).isEqualTo(Grants.S3_APPEND);
            }
            assertThat(objectActions(TOPOLOGY.function(Topology.QUERY), "/views/sha256/*")).isEqualTo(Grants.S3_READ);
            assertThat(objectActions(TOPOLOGY.function(Topology.PUBLISHER), "/views/sha256/*")).isEmpty();
        }

        /** The S3 actions of {@code spec}'s one statement on the payload bucket's objects under {@code prefix}; empty without one. */
        private List<String> objectActions(FunctionSpec spec, String prefix) {
            List<TemplateQueries.Statement> objects = find.statementsOf(spec).stream()
                    .filter(statement -> statement.actions().stream().anyMatch(action -> action.startsWith("s3:")))
                    .filter(statement -> statement.resources().toString().contains(payloadBucketId) && statement.resources().toString().contains(prefix))
                    .toList();
            assertThat(objects).as(spec.name() + " on " + prefix).hasSizeLessThan(2);
            return objects.isEmpty() ? List.of() : objects.getFirst().actions();
        }

        /** The master key's statements (the payload bucket's key is another's). */
        private List<TemplateQueries.Statement> keyStatements(String function) {
            return find.statementsOf(TOPOLOGY.function(function)).stream()
                    .filter(statement -> statement.actions().stream().allMatch(action -> action.startsWith("kms:")))
                    .filter(statement -> !statement.resources().toString().contains(payloadKeyId))
                    .toList();
        }

        /** The tables' and streams' statements: none of the queue, the keys or the payload bucket. */
        private List<TemplateQueries.Statement> dataStatements(String function) {
            return find.statementsOf(TOPOLOGY.function(function)).stream()
                    .filter(statement -> statement.actions().stream().noneMatch(action -> action.startsWith("sqs:") || action.startsWith("kms:")
                            || action.startsWith("s3:")))
                    .toList();
        }
    }

    @Nested
    class The_http_api {

        @Test
        void has_every_route_of_the_topology_and_no_other() {
            template.resourceCountIs("AWS::ApiGatewayV2::Route", TOPOLOGY.routes().size());
            for (ApiRoute route : TOPOLOGY.routes()) {
                template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of("RouteKey", route.key())));
            }
        }

        @Test
        void authorizes_every_route_with_iam_by_default() {
            template.allResourcesProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of("AuthorizationType", "AWS_IAM")));
            template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
        }

        @Test
        void sends_each_route_to_its_function_s_live_alias_with_payload_2_0() {
            for (ApiRoute route : TOPOLOGY.routes()) {
                assertThat(integrationOf(route.key())).as(route.key())
                        .containsEntry("IntegrationType", "AWS_PROXY")
                        .containsEntry("PayloadFormatVersion", "2.0")
                        .containsEntry("IntegrationUri", Map.of("Ref", find.aliasId(TOPOLOGY.function(route.function()))));
            }
        }

        @Test
        void sends_every_other_method_of_a_path_to_its_function_for_a_405_not_api_gateway_s_404() {
            for (ApiRoute route : TOPOLOGY.routes()) {
                assertThat(integrationOf(ApiRoute.ANY + " " + route.path())).as(route.key())
                        .containsEntry("IntegrationUri", Map.of("Ref", find.aliasId(TOPOLOGY.function(route.function()))));
            }
        }

        @Test
        void serves_the_default_stage_throttled_with_json_access_logs() throws Exception {
            template.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
            template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Match.objectLike(Map.of(
                    "StageName", "$default",
                    "AutoDeploy", true,
                    "DefaultRouteSettings", Map.of(
                            "ThrottlingRateLimit", SETTINGS.throttleRateLimit(),
                            "ThrottlingBurstLimit", SETTINGS.throttleBurstLimit()),
                    "AccessLogSettings", Match.objectLike(Map.of("DestinationArn", Match.anyValue())))));
            @SuppressWarnings("unchecked")
            Map<String, Object> logs = (Map<String, Object>) find.properties(find.onlyId("AWS::ApiGatewayV2::Stage", Map.of()))
                    .get("AccessLogSettings");
            JsonNode format = new ObjectMapper().readTree((String) logs.get("Format"));
            assertThat(format.get("requestId").asText()).isEqualTo("$context.requestId");
            assertThat(format.get("status").asText()).isEqualTo("$context.status");
            assertThat(format.get("routeKey").asText()).isEqualTo("$context.routeKey");
        }

        @Test
        void lets_api_gateway_invoke_only_the_aliases() {
            Map<String, Map<String, Object>> permissions = template.findResources("AWS::Lambda::Permission",
                    Map.of("Properties", Match.objectLike(Map.of("Principal", "apigateway.amazonaws.com"))));
            assertThat(permissions).hasSize(TOPOLOGY.routes().size());
            List<String> aliases = TOPOLOGY.functions().stream().map(find::aliasId).toList();
            assertThat(permissions.values()).allSatisfy(permission -> assertThat(
                    TemplateQueries.json(castMap(permission.get("Properties")).get("FunctionName")))
                    .matches(name -> aliases.stream().anyMatch(name::contains), "names an alias"));
        }
    }

    @Nested
    class The_explorer {

        private final FunctionSpec explorer = TOPOLOGY.function(Topology.EXPLORER);

        @Test
        void is_served_by_its_function_on_two_routes_authorized_like_every_other() {
            for (String key : List.of("GET " + ExplorerFunction.PAGE, "GET " + ExplorerFunction.FILES)) {
                String routeId = find.onlyId("AWS::ApiGatewayV2::Route", Map.of("RouteKey", key));
                assertThat(find.properties(routeId)).as(key).containsEntry("AuthorizationType", "AWS_IAM");
                assertThat(integrationOf(key)).as(key).containsEntry("IntegrationUri", Map.of("Ref", find.aliasId(explorer)));
            }
        }

        @Test
        void its_function_may_read_nothing_no_table_no_stream_no_key_and_is_told_of_none() {
            assertThat(find.statementsOf(explorer)).as("the explorer role's inline statements").isEmpty();
            assertThat(find.statementsOf(TOPOLOGY.function(Topology.QUERY))).as("a function with grants has them").isNotEmpty();
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) find.properties(find.functionId(explorer))
                    .get("Environment")).get("Variables");
            assertThat(variables).containsOnlyKeys(ServiceStack.JAVA_TOOL_OPTIONS);
        }

        @Test
        void is_in_no_bucket_and_behind_no_distribution_so_nothing_serves_it_past_the_authorizer() {
            template.resourceCountIs("AWS::S3::Bucket", 0);
            template.resourceCountIs("AWS::CloudFront::Distribution", 0);
            assertThat(template.findResources("AWS::ApiGatewayV2::Route", Map.of("Properties",
                    Match.objectLike(Map.of("AuthorizationType", "NONE"))))).isEmpty();
        }

        @Test
        void reads_the_rebuilds_through_the_query_function_s_documented_route() {
            String routeId = find.onlyId("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "GET " + QueryFunction.REBUILDS_PATH));
            assertThat(find.properties(routeId)).containsEntry("AuthorizationType", "AWS_IAM");
        }
    }

    @Nested
    class The_stream_triggers {

        @Test
        void are_the_topology_s_triggers_on_the_event_stream_with_their_settings() {
            template.resourceCountIs("AWS::Lambda::EventSourceMapping", TOPOLOGY.triggers().size());
            for (StreamTrigger trigger : TOPOLOGY.triggers()) {
                Map<String, Object> expected = new LinkedHashMap<>();
                expected.put("FunctionName", aliasFunctionName(trigger));
                expected.put("StartingPosition", StreamTrigger.STARTING_POSITION);
                expected.put("BatchSize", trigger.batchSize());
                expected.put("MaximumBatchingWindowInSeconds", trigger.maximumBatchingWindow().toSeconds());
                expected.put("BisectBatchOnFunctionError", trigger.bisectBatchOnError());
                expected.put("MaximumRetryAttempts", trigger.maximumRetryAttempts());
                expected.put("MaximumRecordAgeInSeconds", trigger.maximumRecordAge().toSeconds());
                expected.put("ParallelizationFactor", trigger.parallelizationFactor());
                expected.put("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
                expected.put("FilterCriteria", Map.of("Filters", List.of(Map.of("Pattern", trigger.filterPattern()))));
                expected.put("EventSourceArn", Map.of("Fn::ImportValue", Match.stringLikeRegexp(".*" + eventTableId + "StreamArn.*")));
                expected.put("DestinationConfig", Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(
                        Match.stringLikeRegexp(ServiceStack.pascal(trigger.function()) + "OnFailure.*"), "Arn")))));
                template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Match.objectLike(expected));
            }
        }

        @Test
        void invoke_the_live_alias() {
            for (StreamTrigger trigger : TOPOLOGY.triggers()) {
                assertThat(TemplateQueries.json(mappingOf(trigger).get("FunctionName")))
                        .contains(find.aliasId(TOPOLOGY.function(trigger.function())))
                        .endsWith("\":" + ServiceStack.ALIAS + "\"]]}");
            }
        }

        @Test
        void park_what_they_give_up_on_in_an_encrypted_queue_of_their_own() {
            List<String> queues = new ArrayList<>();
            for (StreamTrigger trigger : TOPOLOGY.triggers()) {
                @SuppressWarnings("unchecked")
                List<Object> destination = (List<Object>) castMap(castMap(castMap(mappingOf(trigger).get("DestinationConfig"))
                        .get("OnFailure")).get("Destination")).get("Fn::GetAtt");
                String queue = (String) destination.get(0);
                queues.add(queue);
                assertThat(find.resource(queue)).containsEntry("Type", "AWS::SQS::Queue");
                assertThat(find.properties(queue)).containsEntry("SqsManagedSseEnabled", true);
                assertThat(number(find.properties(queue).get("MessageRetentionPeriod"))).isEqualTo(14 * 24 * 3600);
                assertThat(find.statementsOf(TOPOLOGY.function(trigger.function())))
                        .anySatisfy(statement -> assertThat(statement.actions()).contains("sqs:SendMessage"));
            }
            assertThat(queues).doesNotHaveDuplicates();
            template.allResourcesProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                    "Statement", List.of(Match.objectLike(Map.of("Effect", "Deny",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))); 
        }

        /** How the CDK names an alias as a mapping's function: {@code <function name>:live}. */
        private Map<String, Object> aliasFunctionName(StreamTrigger trigger) {
            String alias = find.aliasId(TOPOLOGY.function(trigger.function()));
            return Map.of("Fn::Join", List.of("", List.of(
                    Map.of("Fn::Select", List.of(6, Map.of("Fn::Split", List.of(":", Map.of("Ref", alias))))),
                    ":" + ServiceStack.ALIAS)));
        }

        private Map<String, Object> mappingOf(StreamTrigger trigger) {
            String alias = find.aliasId(TOPOLOGY.function(trigger.function()));
            Map<String, Map<String, Object>> found = template.findResources("AWS::Lambda::EventSourceMapping");
            List<Map<String, Object>> mine = found.values().stream().map(mapping -> castMap(mapping.get("Properties")))
                    .filter(properties -> TemplateQueries.json(properties.get("FunctionName")).contains(alias)).toList();
            assertThat(mine).as(trigger.function()).hasSize(1);
            return mine.get(0);
        }
    }

    @Nested
    class Alarms_and_the_dashboard {

        @Test
        void watch_errors_and_throttles_of_every_function() {
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                for (String metric : List.of("Errors", "Throttles")) {
                    template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                            "Namespace", "AWS/Lambda",
                            "MetricName", metric,
                            "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", find.functionId(spec)))),
                            "Threshold", 1,
                            "ComparisonOperator", "GreaterThanOrEqualToThreshold")));
                }
            }
        }

        @Test
        void watch_every_trigger_s_iterator_age_and_on_failure_queue() {
            for (StreamTrigger trigger : TOPOLOGY.triggers()) {
                template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                        "Namespace", "AWS/Lambda",
                        "MetricName", "IteratorAge",
                        "Statistic", "Maximum",
                        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value",
                                Map.of("Ref", find.functionId(TOPOLOGY.function(trigger.function()))))),
                        "Threshold", Monitoring.ITERATOR_AGE_LIMIT.toMilliseconds())));
            }
            Map<String, Map<String, Object>> depth = template.findResources("AWS::CloudWatch::Alarm", Map.of("Properties", Match.objectLike(Map.of(
                    "Namespace", "AWS/SQS", "MetricName", "ApproximateNumberOfMessagesVisible", "Threshold", 1))));
            assertThat(depth).hasSize(TOPOLOGY.triggers().size());
        }

        @Test
        void watch_the_api_s_5xx_answers() {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/ApiGateway",
                    "MetricName", "5xx",
                    "Dimensions", List.of(Map.of("Name", "ApiId", "Value", Map.of("Ref", find.onlyId("AWS::ApiGatewayV2::Api", Map.of())))))));
        }

        @Test
        void notify_one_topic_under_a_key_of_its_own_when_they_fire_and_when_they_clear() {
            template.resourceCountIs("AWS::SNS::Topic", 1);
            String topic = find.onlyId("AWS::SNS::Topic", Map.of());
            String key = find.onlyId("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
            template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                    "TopicName", SETTINGS.prefix() + "-alarms",
                    "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn")))));
            assertThat(TemplateQueries.json(find.properties(key).get("KeyPolicy")))
                    .contains("cloudwatch.amazonaws.com", "kms:Decrypt", "kms:GenerateDataKey*");
            template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of(
                    "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
            template.allResourcesProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmActions", List.of(Map.of("Ref", topic)),
                    "OKActions", List.of(Map.of("Ref", topic)))));
            template.resourceCountIs("AWS::SNS::Subscription", 0);
            template.hasOutput("AlarmTopicArn", Match.objectLike(Map.of("Value", Map.of("Ref", topic))));
        }

        @Test
        void are_exactly_those_and_a_dashboard_shows_the_same() {
            template.resourceCountIs("AWS::CloudWatch::Alarm", 2 * TOPOLOGY.functions().size() + 2 * TOPOLOGY.triggers().size() + 1);
            template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
            String body = TemplateQueries.json(find.properties(find.onlyId("AWS::CloudWatch::Dashboard", Map.of())).get("DashboardBody"));
            assertThat(body).contains("IteratorAge", "ApproximateNumberOfMessagesVisible", "Errors", "Throttles", "5xx");
        }
    }

    @Nested
    class The_rebuild_state_machine {

        private static final ObjectMapper JSON = new ObjectMapper();
        /** An execution's input, as factline-replay rebuild --aws starts it. */
        private static final String INPUT = """
                {"readModel":"account-view","version":1,"segments":4,"pageSize":250}""";

        @Test
        void is_a_standard_state_machine_that_logs_every_event_and_traces() {
            template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                    "StateMachineName", SETTINGS.prefix() + "-rebuild",
                    "StateMachineType", "STANDARD",
                    "TracingConfiguration", Map.of("Enabled", true),
                    "LoggingConfiguration", Match.objectLike(Map.of("Level", "ALL")))));
            template.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of(
                    "LogGroupName", "/aws/vendedlogs/states/" + SETTINGS.prefix() + "-rebuild", "RetentionInDays", 30)));
            template.hasOutput("RebuildStateMachineArn", Match.objectLike(Map.of("Value", Map.of("Ref", stateMachineId()))));
        }

        @Test
        void opens_the_run_maps_over_its_segments_eight_at_a_time_works_each_until_done_and_finishes() throws Exception {
            JsonNode definition = definition();
            JsonNode states = definition.get("States");
            JsonNode segments = states.get("Segments");
            JsonNode inner = segments.get("ItemProcessor").get("States");

            assertThat(definition.get("StartAt").asText()).isEqualTo("Open");
            assertThat(states.get("Open").get("Next").asText()).isEqualTo("Segments");
            assertThat(segments.get("Type").asText()).isEqualTo("Map");
            assertThat(segments.get("MaxConcurrency").asInt()).isEqualTo(RebuildStateMachine.MAX_CONCURRENCY);
            assertThat(segments.get("ItemsPath").asText()).isEqualTo("$.opened.segments");
            assertThat(segments.get("Next").asText()).isEqualTo("Finish");
            assertThat(states.get("Finish").get("End").asBoolean()).isTrue();
            assertThat(inner.get("WorkSegment").get("ResultPath").asText()).isEqualTo("$.worked");
            JsonNode choice = inner.get("SegmentDone");
            assertThat(choice.get("Choices").get(0).get("Variable").asText()).isEqualTo("$.worked.done");
            assertThat(choice.get("Choices").get(0).get("Next").asText()).isEqualTo("SegmentWorked");
            assertThat(choice.get("Default").asText()).as("again until done").isEqualTo("WorkSegment");
        }

        @Test
        void retries_every_step_on_lambda_s_transient_errors_and_tables_that_kept_failing_but_not_on_bad_input() throws Exception {
            JsonNode states = definition().get("States");
            for (JsonNode step : List.of(states.get("Open"), states.get("Segments").get("ItemProcessor").get("States").get("WorkSegment"),
                    states.get("Finish"))) {
                List<String> retried = new ArrayList<>();
                step.get("Retry").forEach(retry -> retry.get("ErrorEquals").forEach(error -> retried.add(error.asText())));
                assertThat(retried).contains("Lambda.ServiceException", "Lambda.TooManyRequestsException",
                        "dev.factline.functions.rebuild.EventTableScan$EventTableUnavailableException",
                        "dev.factline.functions.view.ReadTableUnavailableException");
                assertThat(retried).doesNotContain("States.ALL", "dev.factline.functions.rebuild.RebuildStep$RebuildInputException");
            }
        }

        @Test
        void sends_each_step_a_payload_the_rebuild_function_parses() throws Exception {
            JsonNode states = definition().get("States");
            JsonNode input = JSON.readTree(INPUT);
            JsonNode item = resolve(states.get("Segments").get("ItemSelector"), input);

            RebuildStep open = parsed(resolve(states.get("Open").get("Parameters"), input));
            RebuildStep segment = parsed(resolve(states.get("Segments").get("ItemProcessor").get("States").get("WorkSegment").get("Parameters"), item));
            RebuildStep finish = parsed(resolve(states.get("Finish").get("Parameters"), input));

            assertThat(open).isEqualTo(new RebuildStep.Open(open.target(), 4, "execution-1"));
            assertThat(open.target().space()).isEqualTo("account-view@1");
            assertThat(segment).isEqualTo(new RebuildStep.Segment(open.target(), 4, "execution-1", 3, 250));
            assertThat(finish).isEqualTo(new RebuildStep.Finish(open.target(), 4, "execution-1"));
        }

        @Test
        void may_invoke_only_the_rebuild_function_s_alias() {
            String alias = find.aliasId(TOPOLOGY.function(Topology.REBUILD));
            List<TemplateQueries.Statement> invokes = find.allStatements().stream()
                    .filter(statement -> statement.actions().contains("lambda:InvokeFunction")).toList();
            assertThat(invokes).isNotEmpty().allSatisfy(statement -> assertThat(statement.resources()).allMatch(resource -> resource.contains(alias)));
        }

        private String stateMachineId() {
            return find.onlyId("AWS::StepFunctions::StateMachine", Map.of());
        }

        /** The synthesized definition, with the tokens CloudFormation resolves (the alias's ARN) as a placeholder. */
        private JsonNode definition() throws Exception {
            @SuppressWarnings("unchecked")
            Map<String, Object> join = (Map<String, Object>) find.properties(stateMachineId()).get("DefinitionString");
            @SuppressWarnings("unchecked")
            List<Object> parts = (List<Object>) ((List<Object>) join.get("Fn::Join")).get(1);
            StringBuilder text = new StringBuilder();
            parts.forEach(part -> text.append(part instanceof String string ? string : "TOKEN"));
            return JSON.readTree(text.toString());
        }

        /** {@code parameters} as Step Functions resolves them: a member ending {@code .$} takes its path's value. */
        private JsonNode resolve(JsonNode parameters, JsonNode input) {
            com.fasterxml.jackson.databind.node.ObjectNode resolved = JSON.createObjectNode();
            parameters.properties().forEach(member -> {
                if (!member.getKey().endsWith(".$")) {
                    resolved.set(member.getKey(), member.getValue());
                    return;
                }
                String path = member.getValue().asText();
                JsonNode value = switch (path) {
                    case "$$.Execution.Name" -> JSON.getNodeFactory().textNode("execution-1");
                    case "$$.Map.Item.Value" -> JSON.getNodeFactory().numberNode(3);
                    default -> input.at("/" + path.substring(2).replace('.', '/'));
                };
                assertThat(value.isMissingNode()).as("%s in %s", path, input).isFalse();
                resolved.set(member.getKey().substring(0, member.getKey().length() - 2), value);
            });
            return resolved;
        }

        private RebuildStep parsed(JsonNode payload) throws Exception {
            return RebuildStep.parse(JSON.writeValueAsBytes(payload), dev.factline.functions.view.HostedReadModels.STANDARD);
        }
    }

    @Test
    void it_outputs_the_api_url_and_where_failed_records_wait() {
        template.hasOutput("ApiUrl", Match.objectLike(Map.of("Value", Match.objectLike(Map.of("Fn::Join", Match.anyValue())))));
        template.hasOutput("ViewCacheEndpoint", Match.objectLike(Map.of("Value", Match.anyValue())));
        for (StreamTrigger trigger : TOPOLOGY.triggers()) {
            template.hasOutput(ServiceStack.pascal(trigger.function()) + "OnFailureQueueUrl", Match.objectLike(Map.of("Value", Match.anyValue())));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class With_a_jwt_issuer_and_audience {

        private Template jwt;

        @BeforeAll
        void synthesize() {
            jwt = Template.fromStack(TestApps.stacks(SETTINGS.withJwt(new Settings.Jwt("https://issuer.example.com/", List.of("factline-api", "ops"))))
                    .service());
        }

        @Test
        void every_route_uses_one_jwt_authorizer() {
            jwt.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
            jwt.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Match.objectLike(Map.of(
                    "AuthorizerType", "JWT",
                    "IdentitySource", List.of("$request.header.Authorization"),
                    "JwtConfiguration", Map.of("Issuer", "https://issuer.example.com/", "Audience", List.of("factline-api", "ops")))));
            String authorizer = new TemplateQueries(jwt).onlyId("AWS::ApiGatewayV2::Authorizer", Map.of());
            jwt.resourceCountIs("AWS::ApiGatewayV2::Route", TOPOLOGY.routes().size());
            jwt.allResourcesProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                    "AuthorizationType", "JWT",
                    "AuthorizerId", Map.of("Ref", authorizer))));
        }

        @Test
        void the_explorer_s_page_is_behind_the_same_jwt_authorizer_as_the_routes_it_reads() {
            TemplateQueries queries = new TemplateQueries(jwt);
            String authorizer = queries.onlyId("AWS::ApiGatewayV2::Authorizer", Map.of());
            for (String key : List.of("GET " + ExplorerFunction.PAGE, "GET " + ExplorerFunction.FILES, "GET " + QueryFunction.REBUILDS_PATH,
                    "GET /streams")) {
                assertThat(queries.properties(queries.onlyId("AWS::ApiGatewayV2::Route", Map.of("RouteKey", key)))).as(key)
                        .containsEntry("AuthorizationType", "JWT").containsEntry("AuthorizerId", Map.of("Ref", authorizer));
            }
        }
    }

    @Test
    void with_the_explorer_s_page_open_only_its_two_routes_go_without_the_jwt_authorizer() {
        Template open = Template.fromStack(TestApps.stacks(SETTINGS.withJwt(new Settings.Jwt("https://issuer.example.com/", List.of("api")))
                .withOpenExplorerPage(true)).service());
        TemplateQueries queries = new TemplateQueries(open);
        for (ApiRoute route : TOPOLOGY.routes()) {
            Map<String, Object> properties = queries.properties(queries.onlyId("AWS::ApiGatewayV2::Route", Map.of("RouteKey", route.key())));
            assertThat(properties.get("AuthorizationType")).as(route.key())
                    .isEqualTo(route.function().equals(Topology.EXPLORER) ? "NONE" : "JWT");
        }
    }

    @Test
    void with_an_alarm_email_the_alarm_topic_emails_it() {
        Template emailed = Template.fromStack(TestApps.stacks(SETTINGS.withAlarmEmail("oncall@example.com")).service());

        emailed.resourceCountIs("AWS::SNS::Subscription", 1);
        emailed.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of(
                "Protocol", "email",
                "Endpoint", "oncall@example.com",
                "TopicArn", Map.of("Ref", new TemplateQueries(emailed).onlyId("AWS::SNS::Topic", Map.of())))));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class With_the_cache_off {

        private Template uncached;

        @BeforeAll
        void synthesize() {
            uncached = Template.fromStack(TestApps.stacks(SETTINGS.withCache(false)).service());
        }

        @Test
        void there_is_no_cache_and_no_function_is_given_a_redis_url() {
            uncached.resourceCountIs("AWS::ElastiCache::ServerlessCache", 0);
            uncached.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "Environment", Map.of("Variables", Match.objectLike(Map.of(REDIS_URL, Match.absent()))))));
        }

        @Test
        void the_functions_still_run_in_the_isolated_network() {
            uncached.resourceCountIs("AWS::EC2::VPC", 1);
            uncached.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of("VpcConfig", Match.anyValue())));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class The_local_variant {

        private static final String REDIS = "redis://host.docker.internal:6379";
        private Template local;

        @BeforeAll
        void synthesize() {
            local = Template.fromStack(TestApps.stacks(SETTINGS.asLocal(Optional.of(REDIS))).service());
        }

        @Test
        void has_no_network_and_no_elasticache() {
            local.resourceCountIs("AWS::EC2::VPC", 0);
            local.resourceCountIs("AWS::EC2::SecurityGroup", 0);
            local.resourceCountIs("AWS::ElastiCache::ServerlessCache", 0);
            local.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of("VpcConfig", Match.absent())));
        }

        @Test
        void gives_the_cache_users_the_redis_url_from_context() {
            TemplateQueries queries = new TemplateQueries(local);
            for (FunctionSpec spec : TOPOLOGY.functions()) {
                if (spec.grants().get(Resource.VIEW_CACHE) == Access.CONNECT) {
                    assertThat(variables(queries, spec)).as(spec.name()).containsEntry(REDIS_URL, REDIS);
                }
            }
        }

        @Test
        void keeps_the_api_the_triggers_and_the_grants() {
            local.resourceCountIs("AWS::ApiGatewayV2::Route", TOPOLOGY.routes().size());
            local.resourceCountIs("AWS::Lambda::EventSourceMapping", TOPOLOGY.triggers().size());
            local.resourceCountIs("AWS::Lambda::Function", TOPOLOGY.functions().size());
        }
    }

    // --- helpers ---

    private static Map<String, Object> serviceName(String service) {
        return Map.of("Fn::Join", List.of("", List.of("com.amazonaws.", Map.of("Ref", "AWS::Region"), "." + service)));
    }

    private static Map<String, Object> variables(TemplateQueries queries, FunctionSpec spec) {
        return castMap(castMap(queries.properties(queries.functionId(spec)).get("Environment")).get("Variables"));
    }

    /** The {@code Fn::GetAtt} of the security group the one resource of {@code type} sits in. */
    private static String securityGroupOf(String type, Map<String, Object> properties) {
        @SuppressWarnings("unchecked")
        List<Object> groups = (List<Object>) find.properties(find.onlyId(type, properties)).get("SecurityGroupIds");
        assertThat(groups).hasSize(1);
        return TemplateQueries.json(groups.get(0));
    }

    private static String groupLogicalId(String getAtt) {
        return getAtt.replaceAll(".*\\[\"([^\"]+)\",\"GroupId\"].*", "$1");
    }

    /** The source security groups of every ingress rule into {@code group} on {@code port}. */
    private static List<String> ingressSources(String group, int port) {
        return template.findResources("AWS::EC2::SecurityGroupIngress").values().stream()
                .map(rule -> castMap(rule.get("Properties")))
                .filter(rule -> TemplateQueries.json(rule.get("GroupId")).equals(group))
                .peek(rule -> {
                    assertThat(number(rule.get("FromPort"))).isEqualTo(port);
                    assertThat(rule).doesNotContainKey("CidrIp").doesNotContainKey("CidrIpv6");
                })
                .map(rule -> TemplateQueries.json(rule.get("SourceSecurityGroupId")))
                .toList();
    }

    private static List<String> groupsOfFunctionsGranted(Resource resource, Access access) {
        return TOPOLOGY.functions().stream()
                .filter(spec -> spec.grants().get(resource) == access)
                .map(spec -> {
                    @SuppressWarnings("unchecked")
                    List<Object> groups = (List<Object>) castMap(find.properties(find.functionId(spec)).get("VpcConfig")).get("SecurityGroupIds");
                    return TemplateQueries.json(groups.get(0));
                })
                .toList();
    }


    private static int number(Object value) {
        return ((Number) value).intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
