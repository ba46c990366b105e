package dev.factline.functions.saga;

import dev.factline.functions.store.ClaimChecks;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.observability.EmbeddedMetricLines;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaMetricsTest {

    @Test
    void a_batch_flushes_one_embedded_metric_line_with_every_count_zeros_included() {
        JsonNode line = EmbeddedMetricLines.lastLineOf(
                () -> SagaMetrics.embedded().record(new SagaBatch(50, 60, 40, 7, 3, 2, 1, 0, Duration.ofMillis(800), "42")));
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Factline");
        assertThat(line.path("SagaRecords").asDouble()).isEqualTo(50);
        assertThat(line.path("SagaEvents").asDouble()).isEqualTo(60);
        assertThat(line.path("SagaCommandsIssued").asDouble()).isEqualTo(40);
        assertThat(line.path("SagaCommandsReplayed").asDouble()).isEqualTo(7);
        assertThat(line.path("SagaCommandsRefused").asDouble()).isEqualTo(3);
        assertThat(line.path("SagaCompensations").asDouble()).isEqualTo(2);
        assertThat(line.path("SagaFailedRecords").asDouble()).isEqualTo(1);
        assertThat(line.has("SagaUnreadableRecords")).as("zeros are written too").isTrue();
        assertThat(line.path("SagaLag").asDouble()).isEqualTo(800);
    }

    @Test
    void every_batch_is_recorded_once_an_empty_one_too_and_logged_in_one_line() {
        List<SagaBatch> recorded = new ArrayList<>();
        List<String> log = new ArrayList<>();
        SagaFunction saga = new SagaFunction(new InMemoryEventStore(), Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults(),
                recorded::add, log::add, ClaimChecks.none());

        var response = saga.handleRequest(new DynamodbEvent(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(recorded).singleElement().satisfies(batch -> {
            assertThat(batch.records()).isZero();
            assertThat(batch.lag()).isNull();
            assertThat(batch.retryFrom()).isNull();
        });
        assertThat(log).singleElement().asString().contains("\"function\":\"saga\"").contains("\"records\":0");
    }
}
