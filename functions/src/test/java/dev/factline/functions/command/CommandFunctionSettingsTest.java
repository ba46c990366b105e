package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.EventWriting;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The command function's settings, read by {@link EventWriting} as the saga reads them too. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionSettingsTest {

    private static final Map<String, String> WHERE = Map.of("EVENT_TABLE", "factline-events", "READ_TABLE", "factline-views", "AWS_REGION", "us-east-1");

    @Test
    void without_settings_it_snapshots_every_100_events() {
        EventWriting writing = EventWriting.fromEnvironment(Environment.of(WHERE));

        assertThat(writing.policy().snapshots()).isEqualTo(SnapshotPolicy.every(100));
    }

    @Test
    void the_environment_sets_the_snapshot_interval() {
        EventWriting writing = EventWriting.fromEnvironment(Environment.of(with("SNAPSHOT_INTERVAL", "25")));

        assertThat(writing.policy().snapshots()).isEqualTo(SnapshotPolicy.every(25));
    }

    @Test
    void a_setting_that_is_not_a_whole_number_stops_the_function_naming_the_variable() {
        assertThatThrownBy(() -> CommandFunction.fromEnvironment(Environment.of(with("SNAPSHOT_INTERVAL", "often"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("SNAPSHOT_INTERVAL must be a whole number of 0 or more, but is 'often'");
        assertThatThrownBy(() -> CommandFunction.fromEnvironment(Environment.of(with("MAX_EVENT_PAYLOAD_BYTES", "-1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("MAX_EVENT_PAYLOAD_BYTES must be");
    }

    @Test
    void without_the_event_table_the_function_does_not_start_and_says_which_variable_is_missing() {
        assertThatThrownBy(() -> CommandFunction.fromEnvironment(Environment.of(Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("EVENT_TABLE is not set");
    }

    private static Map<String, String> with(String variable, String value) {
        Map<String, String> variables = new HashMap<>(WHERE);
        variables.put(variable, value);
        return variables;
    }
}
