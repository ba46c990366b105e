package dev.factline.functions.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LogLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_error_line_carries_the_exceptions_class_message_and_stack_with_its_cause() throws Exception {
        RuntimeException failure = new IllegalStateException("the dashboard could not be summed", new ArithmeticException("long overflow"));

        JsonNode line = JSON.readTree(LogLine.about(failure).put("route", "GET /dashboard").put("status", 500L).text());

        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.get("errorMessage").asText()).isEqualTo("the dashboard could not be summed");
        assertThat(line.get("error").asText())
                .startsWith("java.lang.IllegalStateException: the dashboard could not be summed")
                .contains("\tat dev.factline.functions.observability.LogLineTest.")
                .contains("Caused by: java.lang.ArithmeticException: long overflow");
    }

    @Test
    void an_exception_without_a_message_still_names_its_class() throws Exception {
        JsonNode line = JSON.readTree(LogLine.about(new ArithmeticException()).text());

        assertThat(line.get("errorType").asText()).isEqualTo("java.lang.ArithmeticException");
        assertThat(line.has("errorMessage")).isFalse();
    }

    @Test
    void a_line_without_an_error_is_info_and_has_no_error_fields() throws Exception {
        JsonNode line = JSON.readTree(LogLine.about(null).put("status", 200L).text());

        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.has("errorType")).isFalse();
        assertThat(line.has("error")).isFalse();
    }
}
