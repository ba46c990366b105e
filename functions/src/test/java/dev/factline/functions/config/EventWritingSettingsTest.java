package dev.factline.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.store.StoreLimits;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventWritingSettingsTest {

    @Test
    void without_a_payload_limit_the_store_takes_64_kib_payloads() {
        assertThat(EventWriting.storeLimits(Environment.of(Map.of()))).isEqualTo(StoreLimits.defaults());
    }

    /** The local pipeline built its store with the default limits, whatever the topology said. */
    @Test
    void the_payload_limit_the_environment_gives_is_the_store_s() {
        assertThat(EventWriting.storeLimits(Environment.of(Map.of("MAX_EVENT_PAYLOAD_BYTES", "1024"))).maxPayloadBytes()).isEqualTo(1024);
    }
}
