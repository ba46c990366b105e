package dev.factline.infra;

import dev.factline.functions.topology.Access;
import dev.factline.functions.topology.ApiRoute;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import dev.factline.functions.topology.StreamTrigger;
import dev.factline.functions.topology.Topology;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * What Factline runs, built from the topology: the network and the view cache (on AWS), one
 * Lambda function per {@link FunctionSpec} (Java 25 on arm64, SnapStart on a published version
 * behind the {@value #ALIAS} alias, its environment and exactly its grants), the HTTP API with
 * every {@link ApiRoute} authorized, one event source mapping per {@link StreamTrigger} with its
 * on-failure queue, the rebuild's state machine ({@link RebuildStateMachine}), and the alarms and
 * dashboard that watch them.
 */
public final class ServiceStack extends Stack {

    /** The alias API Gateway and the triggers invoke: the newest published (SnapStart) version. */
    public static final String ALIAS = "live";
    /** API Gateway's default stage: requests reach the functions with the path as the client sent it. */
    public static final String API_STAGE = "$default";

    /** What the service stack is built from: the topology, the settings and the data stack's resources. */
    public record Props(StackProps stack, Topology topology, Settings settings, ITable eventTable, ITable readTable,
                        IStream publishedEvents, IKey masterKey, IBucket payloadBucket, IKey payloadKey) {
        public Props {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(eventTable, "eventTable");
            Objects.requireNonNull(readTable, "readTable");
            Objects.requireNonNull(publishedEvents, "publishedEvents");
            Objects.requireNonNull(masterKey, "masterKey");
            Objects.requireNonNull(payloadBucket, "payloadBucket");
            Objects.requireNonNull(payloadKey, "payloadKey");
        }
    }

    /** One function as deployed. */
    record Deployed(FunctionSpec spec, Function function, Alias alias, Optional<SecurityGroup> securityGroup) {
    }

    /** One stream trigger as deployed, with the queue its failed records are parked in. */
    record Trigger(StreamTrigger spec, Deployed target, Queue onFailure) {
    }

    private final Map<String, Deployed> functions = new LinkedHashMap<>();
    private final HttpApi api;
    private final HttpStage stage;

    public ServiceStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        Topology topology = props.topology();
        Settings settings = props.settings();
        Code code = Code.fromAsset(functionsJar(settings.functionsJar()).toString());

        Optional<Network> network = settings.local() ? Optional.empty() : Optional.of(new Network(this, "Network"));
        Optional<ViewCacheCluster> cache = settings.createsCache()
                ? Optional.of(new ViewCacheCluster(this, "ViewCache", network.orElseThrow(), topology.readTable().name()))
                : Optional.empty();
        Optional<String> redisUrl = cache.map(ViewCacheCluster::url).or(settings::localRedisUrl);

        Grants.Targets targets = new Grants.Targets(
                props.eventTable(), indexNames(topology.eventTable().createTableRequest()),
                props.readTable(), indexNames(topology.readTable().createTableRequest()),
                props.publishedEvents(), props.masterKey(), props.payloadBucket(), props.payloadKey());
        for (FunctionSpec spec : topology.functions()) {
            Deployed deployed = function(spec, code, props, redisUrl, network, settings);
            Grants.of(spec, targets).forEach(deployed.function()::addToRolePolicy);
            suppressWildcards(deployed);
            deployed.securityGroup().ifPresent(group -> {
                if (spec.grants().get(Resource.VIEW_CACHE) == Access.CONNECT) {
                    cache.ifPresent(views -> views.allowFrom(group, spec.name()));
                }
                if (spec.grants().get(Resource.PUBLISHED_EVENTS) == Access.WRITE) {
                    network.orElseThrow().allowKinesisFrom(group);
                }
            });
            functions.put(spec.name(), deployed);
        }

        RebuildStateMachine rebuild = new RebuildStateMachine(this, "Rebuild", settings.prefix(), functions.get(Topology.REBUILD).alias(),
                settings.local());

        api = HttpApi.Builder.create(this, "HttpApi")
                .apiName(settings.prefix() + "-api")
                .description("Factline: commands and queries")
                .createDefaultStage(false)
                .build();
        stage = defaultStage(settings);
        IHttpRouteAuthorizer authorizer = authorizer(settings);
        Map<String, HttpLambdaIntegration> integrations = new LinkedHashMap<>();
        for (ApiRoute route : topology.routes()) {
            HttpLambdaIntegration integration = integrations.computeIfAbsent(route.function(), name -> new HttpLambdaIntegration(
                    pascal(name) + "Integration", functions.get(name).alias(),
                    HttpLambdaIntegrationProps.builder().payloadFormatVersion(PayloadFormatVersion.VERSION_2_0).build()));
            boolean openPage = settings.openExplorerPage() && route.function().equals(Topology.EXPLORER);
            List<HttpRoute> added = api.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(HttpMethod.valueOf(route.method())))
                    .integration(integration)
                    .authorizer(openPage ? new HttpNoneAuthorizer() : authorizer)
                    .build());
            if (openPage) {
                added.forEach(page -> NagSuppressions.addResourceSuppressions(page, List.of(NagPackSuppression.builder().id("AwsSolutions-APIG4")
                        .reason("openExplorerPage: the explorer's static files (the code of a page, no data) are served without "
                                + "authorization so a browser can load them; every route the page reads keeps the JWT authorizer")
                        .build())));
            }
        }

        List<Trigger> triggers = topology.triggers().stream()
                .map(trigger -> trigger(trigger, functions.get(trigger.function()), props.eventTable(), settings))
                .toList();

        Monitoring monitoring = new Monitoring(this, "Monitoring", settings.prefix(), List.copyOf(functions.values()), triggers, api,
                settings.alarmEmail());

        output("ApiUrl", stage.getUrl(), "the HTTP API's base URL");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "the SNS topic every alarm notifies (subscribe to it)");
        output("RebuildStateMachineArn", rebuild.stateMachine().getStateMachineArn(),
                "the state machine that rebuilds a read model version (factline-replay rebuild --aws --state-machine ARN)");
        cache.ifPresent(views -> output("ViewCacheEndpoint", views.endpoint(), "the view cache's endpoint (TLS)"));
        triggers.forEach(trigger -> output(pascal(trigger.spec().function()) + "OnFailureQueueUrl", trigger.onFailure().getQueueUrl(),
                "where the " + trigger.spec().function() + " trigger parks records it gave up on"));
    }

    public HttpApi api() {
        return api;
    }

    /**
     * The functions' uber jar, or a failure that says how to build it: synth cannot deploy a
     * function without its code.
     */
    static Path functionsJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The functions jar is missing: " + jar.toAbsolutePath().normalize() + "\n"
                    + "Build it before cdk synth or deploy, from the repository root:\n"
                    + "    ./mvnw -B package -DskipTests\n"
                    + "(it is written to functions/target/functions-lambda.jar; another jar: -c " + Settings.FUNCTIONS_JAR + "=PATH)");
        }
        return jar;
    }

    /** The JVM options every function runs with, read by the JVM from this environment variable. */
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    /**
     * C1 only: a function's work is short requests on a small share of a vCPU, where C2's compile
     * time costs more than its code gains. The benchmarks' cold-start section measured it best of
     * the variants tried, with SnapStart priming and without (see docs/decisions/cold-start.md). And every
     * exception with its message and stack: without {@code -XX:-OmitStackTraceInFastThrow} the JIT
     * throws often-thrown ones (an overflow in {@code Math.addExact}) bare, and a 5xx log line
     * names only a class.
     */
    static final String JVM_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:-OmitStackTraceInFastThrow";

    private Deployed function(FunctionSpec spec, Code code, Props props, Optional<String> redisUrl, Optional<Network> network,
                              Settings settings) {
        String id = pascal(spec.name());
        Map<String, String> environment = new LinkedHashMap<>(spec.settings());
        environment.put(JAVA_TOOL_OPTIONS, JVM_OPTIONS);
        spec.environment().forEach((variable, resource) -> valueOf(resource, props, redisUrl)
                .ifPresent(value -> environment.put(variable, value)));
        if (spec.timeout().toMillis() % 1_000 != 0) {
            throw new IllegalArgumentException(spec.name() + ": Lambda timeouts are whole seconds, not " + spec.timeout());
        }
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(settings.local() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .build();
        Optional<SecurityGroup> securityGroup = network.map(net -> net.securityGroupFor(id));
        Function.Builder function = Function.Builder.create(this, id + "Function")
                .description("Factline " + spec.name() + " (" + spec.handler() + ")")
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.ARM_64)
                .code(code)
                .handler(spec.handler())
                .memorySize(spec.memoryMegabytes())
                .timeout(Duration.seconds(spec.timeout().toSeconds()))
                .environment(environment)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs);
        spec.reservedConcurrency().ifPresent(function::reservedConcurrentExecutions);
        network.ifPresent(net -> function.vpc(net.vpc()).vpcSubnets(Network.isolatedSubnets())
                .securityGroups(List.of(securityGroup.orElseThrow())));
        Function built = function.build();
        Annotations.of(built).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the " + ALIAS + " alias publishes a version whenever the code or configuration changes");
        Alias alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(built.getCurrentVersion())
                .build();
        NagSuppressions.addResourceSuppressions(built, List.of(
                NagPackSuppression.builder().id("AwsSolutions-L1")
                        .reason("java25 is the newest Java runtime this CDK version knows (the benchmarks' cold-start section and AWS's "
                                + "published init times chose it over java21); a newer one is a decision for the benchmarks, not a stack default")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-IAM4")
                        .reason("AWS-managed execution policies: CloudWatch Logs for the function's own log group and, in the VPC, "
                                + "the network interfaces Lambda manages; every data permission is a precise inline statement")
                        .appliesTo(List.of(
                                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"))
                        .build()), true);
        return new Deployed(spec, built, alias, securityGroup);
    }

    /** After the grants: the suppressions must find the role's policy, which the first grant creates. */
    private static void suppressWildcards(Deployed deployed) {
        if (deployed.spec().grants().containsKey(Resource.PAYLOAD_BUCKET)) {
            allowWildcard(deployed, "claim-checked payloads and views are objects named by their digests, payloads/sha256/<digest> "
                    + "and views/sha256/<digest>: no name is known before its text is written, so the grants are those prefixes of the "
                    + "payload bucket, nothing wider",
                    "/^Resource::.*PayloadBucket[A-Za-z0-9]*.*\\/(payloads|views)\\/sha256\\/\\*$/");
        }
        if (deployed.spec().grants().containsKey(Resource.EVENT_STREAM)) {
            allowWildcard(deployed, "dynamodb:ListStreams names no stream: IAM matches it against the table's streams, <table ARN>/stream/*, "
                    + "which Lambda's event source mapping needs; the stream's own reads name the stream ARN",
                    "/^Resource::.*EventTable[A-Za-z0-9]*.*\\/stream\\/\\*$/");
        }
    }

    /** Tells cdk-nag why the function's policy holds the one wildcard resource {@code resource} matches. */
    private static void allowWildcard(Deployed deployed, String reason, String resource) {
        NagSuppressions.addResourceSuppressions(deployed.function(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .reason(reason)
                .appliesTo(List.of(RegexAppliesTo.builder().regex(resource).build()))
                .build()), true);
    }

    private static Optional<String> valueOf(Resource resource, Props props, Optional<String> redisUrl) {
        return switch (resource) {
            case EVENT_TABLE -> Optional.of(props.eventTable().getTableName());
            case READ_TABLE -> Optional.of(props.readTable().getTableName());
            case EVENT_STREAM -> Optional.ofNullable(props.eventTable().getTableStreamArn());
            case PUBLISHED_EVENTS -> Optional.of(props.publishedEvents().getStreamName());
            // No cache: the variable stays unset and the functions read the table.
            case VIEW_CACHE -> redisUrl;
            case MASTER_KEY -> Optional.of(props.masterKey().getKeyArn());
            case PAYLOAD_BUCKET -> Optional.of(props.payloadBucket().getBucketName());
        };
    }

    private HttpStage defaultStage(Settings settings) {
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(settings.local() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .build();
        LogGroupLogDestination destination = new LogGroupLogDestination(accessLogs);
        AccessLogFormat format = AccessLogFormat.custom(AccessLogs.FORMAT);
        return HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(api)
                .stageName(API_STAGE)
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.throttleRateLimit())
                        .burstLimit(settings.throttleBurstLimit())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return format;
                    }
                })
                .build();
    }

    private IHttpRouteAuthorizer authorizer(Settings settings) {
        return settings.jwt()
                .<IHttpRouteAuthorizer>map(jwt -> new HttpJwtAuthorizer("JwtAuthorizer", jwt.issuer(),
                        HttpJwtAuthorizerProps.builder().jwtAudience(jwt.audience()).build()))
                .orElseGet(HttpIamAuthorizer::new);
    }

    private Trigger trigger(StreamTrigger spec, Deployed target, ITable eventTable, Settings settings) {
        if (target.spec().grants().get(Resource.EVENT_STREAM) != Access.READ) {
            throw new IllegalArgumentException(spec.function() + " has a stream trigger but no READ grant on " + Resource.EVENT_STREAM);
        }
        String id = pascal(spec.function());
        Queue onFailure = Queue.Builder.create(this, id + "OnFailure")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(settings.local() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .build();
        NagSuppressions.addResourceSuppressions(onFailure, List.of(NagPackSuppression.builder().id("AwsSolutions-SQS3")
                .reason("This queue is itself the on-failure destination of the " + spec.function()
                        + " trigger (it holds the stream positions of the records given up on); a dead-letter queue of it would have no producer")
                .build()));
        target.alias().addEventSourceMapping(id + "Trigger", EventSourceMappingOptions.builder()
                .eventSourceArn(Objects.requireNonNull(eventTable.getTableStreamArn(), "the event table has no stream"))
                .startingPosition(StartingPosition.valueOf(StreamTrigger.STARTING_POSITION))
                .batchSize(spec.batchSize())
                .maxBatchingWindow(Duration.seconds(spec.maximumBatchingWindow().toSeconds()))
                .filters(List.of(Map.of("pattern", spec.filterPattern())))
                .reportBatchItemFailures(StreamTrigger.REPORT_BATCH_ITEM_FAILURES)
                .bisectBatchOnError(spec.bisectBatchOnError())
                .retryAttempts(spec.maximumRetryAttempts())
                .maxRecordAge(Duration.seconds(spec.maximumRecordAge().toSeconds()))
                .parallelizationFactor(spec.parallelizationFactor())
                .onFailure(new SqsDlq(onFailure))
                .build());
        return new Trigger(spec, target, onFailure);
    }

    private static List<String> indexNames(software.amazon.awssdk.services.dynamodb.model.CreateTableRequest shape) {
        return shape.globalSecondaryIndexes().stream().map(index -> index.indexName()).toList();
    }

    private void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }

    /** {@code command} -> {@code Command}, {@code order-saga} -> {@code OrderSaga}: construct ids from topology names. */
    static String pascal(String name) {
        StringBuilder id = new StringBuilder();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                id.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return id.toString();
    }
}
