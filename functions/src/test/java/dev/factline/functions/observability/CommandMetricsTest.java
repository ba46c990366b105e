package dev.factline.functions.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandMetricsTest {

    @Test
    void a_request_flushes_one_embedded_metric_line_with_its_counts() {
        JsonNode line = EmbeddedMetricLines.lastLineOf(() -> CommandMetrics.embedded().record(200, 2, true));
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Factline");
        assertThat(line.path("Commands").asDouble()).isEqualTo(1);
        assertThat(line.path("CommandsAccepted").asDouble()).isEqualTo(1);
        assertThat(line.path("VersionConflicts").asDouble()).isEqualTo(2);
        assertThat(line.path("IdempotentReplays").asDouble()).isEqualTo(1);
        assertThat(line.has("CommandsRefused")).isFalse();
    }
}
