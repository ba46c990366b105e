package dev.factline.functions.publisher;

import dev.factline.functions.store.ClaimChecks;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.functions.observability.EmbeddedMetricLines;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherMetricsTest {

    @Test
    void a_batch_flushes_one_embedded_metric_line_with_every_count_zeros_included() {
        JsonNode line = EmbeddedMetricLines.lastLineOf(
                () -> PublisherMetrics.embedded().record(new PublishedBatch(100, 98, 120, 4, 2, 3, 1, 0, 1, Duration.ofMillis(1500), Optional.of("42"))));
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Factline");
        assertThat(line.path("PublisherRecords").asDouble()).isEqualTo(100);
        assertThat(line.path("EventsPublished").asDouble()).isEqualTo(120);
        assertThat(line.path("PutRecordsCalls").asDouble()).isEqualTo(4);
        assertThat(line.path("PutRecordsEntriesRetried").asDouble()).isEqualTo(2);
        assertThat(line.path("PutRecordsEntriesRefused").asDouble()).isEqualTo(3);
        assertThat(line.path("PublishFailedRecords").asDouble()).isEqualTo(1);
        assertThat(line.has("PublishUnreadableRecords")).as("zeros are written too").isTrue();
        assertThat(line.path("UnpublishableEvents").asDouble()).isEqualTo(1);
        assertThat(line.path("PublishLag").asDouble()).isEqualTo(1500);
    }

    @Test
    void every_batch_is_recorded_once_an_empty_one_too_and_a_batch_without_commits_has_no_lag() {
        List<PublishedBatch> recorded = new ArrayList<>();
        List<String> log = new ArrayList<>();
        PublisherFunction function = new PublisherFunction(new ScriptedSink(), PublishLimits.kinesis(),
                PublishPolicy.defaults(Duration.ZERO), Clock.systemUTC(), recorded::add, new PublisherLog(log::add), ClaimChecks.none());

        var response = function.handleRequest(new DynamodbEvent(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(recorded).singleElement().satisfies(batch -> {
            assertThat(batch.records()).isZero();
            assertThat(batch.putRecordsCalls()).isZero();
            assertThat(batch.lag()).isNull();
            assertThat(batch.retryFrom()).isEmpty();
        });
        assertThat(log).singleElement().satisfies(line -> assertThat(line).startsWith("{\"level\":\"INFO\",\"records\":0"));
    }

    @Test
    void a_metric_that_fails_leaves_the_answer_as_it_was_and_is_logged() {
        List<String> log = new ArrayList<>();
        PublisherMetrics failing = batch -> {
            throw new IllegalStateException("metrics sink broken");
        };
        PublisherFunction function = new PublisherFunction(new ScriptedSink(), PublishLimits.kinesis(),
                PublishPolicy.defaults(Duration.ZERO), Clock.systemUTC(), failing, new PublisherLog(log::add), ClaimChecks.none());

        var response = function.handleRequest(new DynamodbEvent(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(log).anySatisfy(line -> assertThat(line).contains("metrics-failed", "metrics sink broken"));
    }
}
