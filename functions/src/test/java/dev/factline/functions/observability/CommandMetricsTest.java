package dev.factline.functions.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandMetricsTest {

    @Test
    void a_request_flushes_one_embedded_metric_line_with_its_counts() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOutput = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandMetrics.embedded().record(200, 2, true);
        } finally {
            System.setOut(standardOutput);
        }

        String output = captured.toString(StandardCharsets.UTF_8).strip();
        JsonNode line = new ObjectMapper().readTree(output.lines().reduce((first, last) -> last).orElseThrow());
        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Factline");
        assertThat(line.path("Commands").asDouble()).isEqualTo(1);
        assertThat(line.path("CommandsAccepted").asDouble()).isEqualTo(1);
        assertThat(line.path("VersionConflicts").asDouble()).isEqualTo(2);
        assertThat(line.path("IdempotentReplays").asDouble()).isEqualTo(1);
        assertThat(line.has("CommandsRefused")).isFalse();
    }
}
