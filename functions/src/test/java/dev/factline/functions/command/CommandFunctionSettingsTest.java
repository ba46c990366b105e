package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.functions.store.StoreLimits;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionSettingsTest {

    @Test
    void without_settings_it_snapshots_every_100_events_and_takes_64_kib_payloads() {
        assertThat(CommandFunction.snapshotPolicy(name -> null)).isEqualTo(SnapshotPolicy.every(100));
        assertThat(CommandFunction.storeLimits(name -> null)).isEqualTo(StoreLimits.defaults());
    }

    @Test
    void the_environment_sets_the_snapshot_interval_and_the_payload_limit() {
        Map<String, String> environment = Map.of("SNAPSHOT_INTERVAL", "25", "MAX_EVENT_PAYLOAD_BYTES", "1024");

        assertThat(CommandFunction.snapshotPolicy(environment::get)).isEqualTo(SnapshotPolicy.every(25));
        assertThat(CommandFunction.storeLimits(environment::get).maxPayloadBytes()).isEqualTo(1024);
    }

    @Test
    void a_setting_that_is_not_a_whole_number_stops_the_function_naming_the_variable() {
        assertThatThrownBy(() -> CommandFunction.snapshotPolicy(Map.of("SNAPSHOT_INTERVAL", "often")::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SNAPSHOT_INTERVAL must be a whole number of 0 or more, but is 'often'");
        assertThatThrownBy(() -> CommandFunction.storeLimits(Map.of("MAX_EVENT_PAYLOAD_BYTES", "-1")::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("MAX_EVENT_PAYLOAD_BYTES must be");
    }
}
