package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.functions.observability.EmbeddedMetricLines;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryMetricsTest {

    private static JsonNode recorded(QueryFigures figures) {
        return EmbeddedMetricLines.lastLineOf(() -> QueryMetrics.embedded().record(figures));
    }

    @Test
    void a_query_flushes_one_embedded_metric_line_with_where_its_view_came_from() {
        JsonNode line = recorded(new QueryFigures(200, 0, 1, 0, 1, 2));

        assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Factline");
        assertThat(line.path("Queries").asDouble()).isEqualTo(1);
        assertThat(line.path("QueryRedisHits").asDouble()).isEqualTo(1);
        assertThat(line.path("QueryRebuilds").asDouble()).isEqualTo(1);
        assertThat(line.path("QueryCacheFailures").asDouble()).isEqualTo(2);
        assertThat(line.has("QueryLruHits")).isFalse();
        assertThat(line.has("QueriesRefused")).isFalse();
    }

    @Test
    void refusals_errors_and_not_modified_answers_are_counted_apart() {
        assertThat(recorded(new QueryFigures(404, 0, 0, 1, 0, 0)).path("QueriesRefused").asDouble()).isEqualTo(1);
        assertThat(recorded(new QueryFigures(503, 0, 0, 0, 0, 0)).path("QueryErrors").asDouble()).isEqualTo(1);
        assertThat(recorded(new QueryFigures(304, 1, 0, 0, 0, 0)).path("QueriesNotModified").asDouble()).isEqualTo(1);
    }
}
