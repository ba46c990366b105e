package dev.factline.infra;

import dev.factline.functions.rebuild.EventTableScan.EventTableUnavailableException;
import dev.factline.functions.rebuild.RebuildFunction;
import dev.factline.functions.rebuild.RebuildStep;
import dev.factline.functions.view.ReadTableUnavailableException;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * A rebuild on AWS: a Step Functions state machine that steps the rebuild function
 * ({@code RebuildFunction}) through a run. Its input names the run as the steps do
 * ({@code {"readModel":"account-view","version":2,"segments":16,"pageSize":250}}); the execution's
 * name is the run's owner in the ledger.
 *
 * <pre>
 * Open ──> Segments (a Map, at most {@value #MAX_CONCURRENCY} at once) ──> Finish
 *            └─ WorkSegment ──> SegmentDone? ── no ──> WorkSegment
 *                                          └── yes ──> SegmentWorked
 * </pre>
 *
 * Every step is retried on Lambda's transient errors and on a table that kept failing (each
 * invocation resumes from the segment's checkpoint, so a retry repeats at most a page, which the
 * rows' versions skip); bad input and a refused run fail the execution at once.
 */
final class RebuildStateMachine extends Construct {

    /**
     * Segments worked at once: each reads the event table as fast as DynamoDB answers, so this is
     * the rebuild's ceiling on read units (and the live traffic's share of an on-demand table's
     * throughput left alone).
     */
    static final int MAX_CONCURRENCY = 8;
    /** Where the open step's answer lands in the execution's state; the Map goes over its segments. */
    static final String OPENED = "$.opened";
    /** Where the answer of a segment's invocation lands in the iteration's state; the choice reads {@code done} there. */
    static final String WORKED = "$.worked";
    /** The errors retried: a table that kept failing past the SDK's own retries, and Lambda's throttling. */
    static final List<String> TRANSIENT_ERRORS = List.of("Lambda.TooManyRequestsException",
            EventTableUnavailableException.class.getName(), ReadTableUnavailableException.class.getName());

    private final StateMachine stateMachine;

    RebuildStateMachine(Construct scope, String id, String prefix, IFunction rebuild, boolean local) {
        super(scope, id);
        LambdaInvoke open = step("Open", rebuild, payload(RebuildStep.OPEN), OPENED);
        LambdaInvoke work = step("WorkSegment", rebuild, payload(RebuildStep.WORK_SEGMENT), WORKED);
        LambdaInvoke finish = step("Finish", rebuild, payload(RebuildStep.FINISH), "$");
        Map<String, Object> item = new LinkedHashMap<>();
        for (String member : List.of(RebuildStep.READ_MODEL, RebuildStep.VERSION, RebuildStep.SEGMENTS, RebuildStep.PAGE_SIZE)) {
            item.put(member, JsonPath.stringAt("$." + member));
        }
        item.put(RebuildStep.SEGMENT, JsonPath.stringAt("$$.Map.Item.Value"));
        software.amazon.awscdk.services.stepfunctions.Map segments = software.amazon.awscdk.services.stepfunctions.Map.Builder
                .create(this, "Segments")
                .itemsPath(OPENED + "." + RebuildFunction.SEGMENTS_TO_WORK)
                .itemSelector(item)
                .maxConcurrency(MAX_CONCURRENCY)
                .resultPath(JsonPath.DISCARD)
                .build();
        segments.itemProcessor(work.next(Choice.Builder.create(this, "SegmentDone").build()
                .when(Condition.booleanEquals(WORKED + "." + RebuildFunction.DONE, true), new Succeed(this, "SegmentWorked"))
                .otherwise(work)));

        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                // Step Functions' own prefix: its log delivery needs no resource policy per group under it.
                .logGroupName("/aws/vendedlogs/states/" + prefix + "-rebuild")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(local ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
                .build();
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(prefix + "-rebuild")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromChainable(open.next(segments).next(finish)))
                // Far beyond a rebuild of a large table at the read ceiling; an execution that hangs ends, and frees the run.
                .timeout(Duration.days(7))
                .tracingEnabled(true)
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(true).build())
                .build();
        NagSuppressions.addResourceSuppressions(stateMachine, List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .reason("Granted by CDK for actions that take no resource ARN: X-Ray's trace segments and CloudWatch Logs' log "
                        + "delivery; the one data permission, lambda:InvokeFunction, names the rebuild function's alias")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }

    StateMachine stateMachine() {
        return stateMachine;
    }

    /** A step: the payload to the function, its answer alone at {@code resultPath}, retried on transient errors. */
    private LambdaInvoke step(String id, IFunction rebuild, TaskInput payload, String resultPath) {
        LambdaInvoke step = LambdaInvoke.Builder.create(this, id)
                .lambdaFunction(rebuild)
                .payload(payload)
                .payloadResponseOnly(true)
                .retryOnServiceExceptions(true)
                .resultPath(resultPath)
                .build();
        step.addRetry(RetryProps.builder().errors(TRANSIENT_ERRORS).interval(Duration.seconds(10)).backoffRate(2).maxAttempts(5).build());
        return step;
    }

    /**
     * A step's input: the run's members as the state's input holds them (the execution's input, or
     * a Map item, whose members are named alike; a path copies a number as a number), and the
     * execution's name as the owner.
     */
    private static TaskInput payload(String step) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(RebuildStep.STEP, step);
        List<String> members = step.equals(RebuildStep.WORK_SEGMENT)
                ? List.of(RebuildStep.READ_MODEL, RebuildStep.VERSION, RebuildStep.SEGMENTS, RebuildStep.SEGMENT, RebuildStep.PAGE_SIZE)
                : List.of(RebuildStep.READ_MODEL, RebuildStep.VERSION, RebuildStep.SEGMENTS);
        members.forEach(member -> payload.put(member, JsonPath.stringAt("$." + member)));
        payload.put(RebuildStep.OWNER, JsonPath.stringAt("$$.Execution.Name"));
        return TaskInput.fromObject(payload);
    }
}
