package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.functions.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ParkedRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/events/stream/2026-12-07T00:00:00.000";

    @TempDir
    Path folder;

    @Test
    void a_pipeline_started_again_on_the_folder_lists_every_parked_batch_until_a_redrive_applies_it() throws IOException {
        Path file = folder.resolve("parked.json");
        ParkedRecords first = ParkedRecords.keptIn(file);
        ParkedRecords.Parked healed = batch("100", "RetryAttemptsExhausted");
        ParkedRecords.Parked poison = batch("200", "RecordAgeExceeded");
        first.park(healed);
        first.park(poison);

        ParkedRecords second = ParkedRecords.keptIn(file);

        assertThat(second.all()).containsExactly(healed, poison);
        assertThat(second.json()).isEqualTo(first.json());
        // The fix is deployed for the first batch only: the function still reports the poison's record.
        LocalFunction<DynamodbEvent, StreamsEventResponse> projector = new LocalFunction<>(Topology.standard("t").function(Topology.PROJECTOR),
                (event, context) -> {
                    String sequence = event.getRecords().getFirst().getDynamodb().getSequenceNumber();
                    return new StreamsEventResponse(sequence.equals("200")
                            ? List.of(new StreamsEventResponse.BatchItemFailure(sequence)) : List.of());
                });
        assertThat(second.redrive(name -> projector)).extracting(ParkedRecords.Redriven::applied).containsExactly(true, false);
        assertThat(ParkedRecords.keptIn(file).all()).as("read back after the redrive").containsExactly(poison);
        assertThat(Files.list(folder).map(Path::getFileName).map(Path::toString)).containsExactly("parked.json");
    }

    @Test
    void a_file_that_is_not_a_parked_list_is_refused_with_where_it_is_and_the_way_out() throws IOException {
        Path file = Files.writeString(folder.resolve("parked.json"), "[{\"timestamp\":\"yesterday\"}]");

        assertThatThrownBy(() -> ParkedRecords.keptIn(file)).hasMessageContaining(file.toString()).hasMessageContaining("--reset");
    }

    @Test
    void a_list_kept_in_memory_writes_no_file() {
        new ParkedRecords().park(batch("1", "RetryAttemptsExhausted"));

        assertThat(folder).isEmptyDirectory();
    }

    private static ParkedRecords.Parked batch(String sequence, String condition) {
        ObjectNode record = JSON.createObjectNode().put("eventID", "e-" + sequence).put("eventName", "INSERT").put("eventVersion", "1.1")
                .put("eventSource", "aws:dynamodb").put("awsRegion", "us-east-1").put("eventSourceARN", STREAM_ARN);
        record.putObject("dynamodb").put("SequenceNumber", sequence).put("SizeBytes", 10).put("StreamViewType", "NEW_IMAGE")
                .putObject("Keys").putObject("pk").put("S", "account#a-" + sequence);
        return new ParkedRecords.Parked(Topology.PROJECTOR, condition, "shardId-0001", STREAM_ARN, sequence, sequence, 1, 3,
                Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:05:00.123Z"), List.of(record));
    }
}
