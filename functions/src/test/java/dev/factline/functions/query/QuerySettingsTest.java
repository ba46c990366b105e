package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.config.Environment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QuerySettingsTest {

    private static final Map<String, String> TABLES = Map.of("READ_TABLE", "views", "EVENT_TABLE", "events");

    @Test
    void with_only_the_tables_a_tally_lives_a_second_in_the_lru_and_repairs_are_checked_every_second() {
        QuerySettings settings = QuerySettings.from(Environment.of(TABLES));

        assertThat(settings.readTable().name()).isEqualTo("views");
        assertThat(settings.eventTable().name()).isEqualTo("events");
        assertThat(settings.tallyTimeToLive()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.generationCheck()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void the_environment_sets_the_tallys_time_to_live_and_the_repair_interval() {
        Map<String, String> environment = Map.of("READ_TABLE", "views", "EVENT_TABLE", "events",
                "TALLY_LRU_TTL_MS", "250", "CACHE_GENERATION_CHECK_MS", "5000");

        QuerySettings settings = QuerySettings.from(Environment.of(environment));

        assertThat(settings.tallyTimeToLive()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.generationCheck()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void a_missing_table_stops_the_function_naming_the_variable() {
        assertThatThrownBy(() -> QuerySettings.from(Environment.of(Map.of("READ_TABLE", "views"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("EVENT_TABLE is not set");
        assertThatThrownBy(() -> QuerySettings.from(Environment.of(Map.of("EVENT_TABLE", "events"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("READ_TABLE is not set");
    }

    @Test
    void a_malformed_number_stops_the_function_naming_the_variable() {
        Map<String, String> badInterval = Map.of("READ_TABLE", "views", "EVENT_TABLE", "events", "CACHE_GENERATION_CHECK_MS", "often");
        Map<String, String> zeroTtl = Map.of("READ_TABLE", "views", "EVENT_TABLE", "events", "TALLY_LRU_TTL_MS", "0");

        assertThatThrownBy(() -> QuerySettings.from(Environment.of(badInterval)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("CACHE_GENERATION_CHECK_MS must be");
        assertThatThrownBy(() -> QuerySettings.from(Environment.of(zeroTtl)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("TALLY_LRU_TTL_MS must be a whole number of milliseconds, 1 or more, but is '0'");
    }
}
