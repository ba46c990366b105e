package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.publisher.PublishReport.Kind;
import dev.factline.functions.stream.RecordProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PublishedBatch failed(int records) {
        return new PublishedBatch(records, records, 0, 3, 2, 2, records, 0, 0, Duration.ofSeconds(2), Optional.of("100"));
    }

    @Test
    void a_batch_with_records_to_retry_is_a_warning_naming_each_problem_s_record_stream_and_version() throws Exception {
        List<String> lines = new ArrayList<>();

        new PublisherLog(lines::add).batch(failed(2), List.of(
                new RecordProblem(Kind.GAVE_UP.label(), "100", "account#a-1", 3L, null, "refused 5 times"),
                new RecordProblem(Kind.UNREADABLE.label(), "200", null, null, null, "commit item without events")), Duration.ofMillis(40));

        JsonNode line = JSON.readTree(lines.getFirst());
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("retryFrom").asText()).isEqualTo("100");
        assertThat(line.get("lagMs").asLong()).isEqualTo(2000);
        assertThat(line.get("problems").get(0).toString()).isEqualTo(
                "{\"kind\":\"gave-up\",\"sequenceNumber\":\"100\",\"streamId\":\"account#a-1\",\"version\":3,\"reason\":\"refused 5 times\"}");
        assertThat(line.get("problems").get(1).has("streamId")).isFalse();
    }

    /** A Kinesis outage gives every stream of a batch a problem; one line must stay readable. */
    @Test
    void past_twenty_problems_the_rest_are_only_counted() throws Exception {
        List<String> lines = new ArrayList<>();
        List<RecordProblem> problems = IntStream.range(0, 25)
                .mapToObj(i -> new RecordProblem(Kind.GAVE_UP.label(), Integer.toString(100 + i), "account#a-" + i, 1L, null, "CallFailed"))
                .toList();

        new PublisherLog(lines::add).batch(failed(25), problems, Duration.ofMillis(40));

        JsonNode line = JSON.readTree(lines.getFirst());
        assertThat(line.get("problems")).hasSize(RecordProblem.MAX_LISTED);
        assertThat(line.get("problemsNotListed").asInt()).isEqualTo(5);
    }
}
