package dev.factline.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms and a dashboard of the same metrics: per function errors and throttles, per stream
 * trigger the iterator age (how far behind the event stream it is) and its on-failure queue's
 * depth (records given up on), and the API's 5xx answers. Every alarm notifies one SNS topic when
 * it fires and when it clears; the topic emails the {@code alarmEmail} address, if one is set, and
 * anything else can subscribe to it. The topic is encrypted with a key of its own, since
 * CloudWatch cannot publish to a topic under the AWS-managed SNS key.
 */
final class Monitoring extends Construct {

    /** A trigger a minute behind the newest event is a projection visibly lagging its writes. */
    static final Duration ITERATOR_AGE_LIMIT = Duration.minutes(1);
    private static final Duration PERIOD = Duration.minutes(1);

    private final List<Alarm> alarms = new ArrayList<>();
    private final Topic topic;

    Monitoring(Construct scope, String id, String prefix, List<ServiceStack.Deployed> functions, List<ServiceStack.Trigger> triggers,
               HttpApi api, Optional<String> alarmEmail) {
        super(scope, id);
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts " + prefix + "'s alarm notifications")
                .enableKeyRotation(true)
                .build();
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        topic = Topic.Builder.create(this, "AlarmTopic")
                .topicName(prefix + "-alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        alarmEmail.ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));
        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName(prefix).build();

        for (ServiceStack.Deployed deployed : functions) {
            String name = ServiceStack.pascal(deployed.spec().name());
            Metric errors = deployed.function().metricErrors(sum());
            Metric throttles = deployed.function().metricThrottles(sum());
            alarm(name + "Errors", errors, 1, 1, "the " + deployed.spec().name() + " function failed (an exception, a timeout)");
            alarm(name + "Throttles", throttles, 1, 1, "the " + deployed.spec().name() + " function was throttled");
            dashboard.addWidgets(graph(deployed.spec().name() + ": invocations, errors, throttles",
                    List.of(deployed.function().metricInvocations(sum()), errors, throttles)),
                    graph(deployed.spec().name() + ": duration (p99)", List.of(deployed.function().metricDuration(
                            MetricOptions.builder().statistic("p99").period(PERIOD).build()))));
        }
        for (ServiceStack.Trigger trigger : triggers) {
            String name = ServiceStack.pascal(trigger.spec().function());
            Metric iteratorAge = trigger.target().function().metric("IteratorAge",
                    MetricOptions.builder().statistic("Maximum").period(PERIOD).build());
            Metric parked = trigger.onFailure().metricApproximateNumberOfMessagesVisible(
                    MetricOptions.builder().statistic("Maximum").period(PERIOD).build());
            alarm(name + "IteratorAge", iteratorAge, ITERATOR_AGE_LIMIT.toMilliseconds().doubleValue(), 3,
                    "the " + trigger.spec().function() + " trigger is more than " + ITERATOR_AGE_LIMIT.toHumanString()
                            + " behind the event stream");
            alarm(name + "OnFailureQueueDepth", parked, 1, 1,
                    "the " + trigger.spec().function() + " trigger gave up on records: they wait in its on-failure queue");
            dashboard.addWidgets(graph(trigger.spec().function() + " trigger: iterator age (ms)", List.of(iteratorAge)),
                    graph(trigger.spec().function() + " trigger: records given up on", List.of(parked)));
        }
        Metric serverErrors = api.metricServerError(sum());
        alarm("Api5xx", serverErrors, 1, 1, "the HTTP API answered 5xx");
        dashboard.addWidgets(graph("API: 4xx and 5xx", List.of(api.metricClientError(sum()), serverErrors)),
                graph("API: latency (p99)", List.of(api.metricLatency(MetricOptions.builder().statistic("p99").period(PERIOD).build()))));
    }

    List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /** Where the alarms notify. */
    Topic topic() {
        return topic;
    }

    private void alarm(String id, Metric metric, double threshold, int periods, String description) {
        Alarm alarm = metric.createAlarm(this, id, CreateAlarmOptions.builder()
                .alarmDescription("Factline: " + description)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        SnsAction notify = new SnsAction(topic);
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
        alarms.add(alarm);
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(12).build();
    }
}
