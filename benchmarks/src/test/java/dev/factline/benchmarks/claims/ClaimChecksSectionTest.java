package dev.factline.benchmarks.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.NewEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaimChecksSectionTest {

    @Test
    void the_measured_payload_is_exactly_300_kb_of_json_and_each_has_a_digest_of_its_own() throws Exception {
        NewEvent first = ClaimChecksSection.eventOfPayloadBytes(ClaimChecksSection.PAYLOAD_BYTES);
        NewEvent second = ClaimChecksSection.eventOfPayloadBytes(ClaimChecksSection.PAYLOAD_BYTES);

        assertThat(first.payload().getBytes(StandardCharsets.UTF_8)).hasSize(300_000);
        assertThat(new ObjectMapper().readTree(first.payload()).get("description").asText()).hasSize(300_000 - 18);
        assertThat(second.payload()).isNotEqualTo(first.payload());
    }
}
