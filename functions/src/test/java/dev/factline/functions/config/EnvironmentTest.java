package dev.factline.functions.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EnvironmentTest {

    private static Environment of(Map<String, String> variables) {
        return Environment.of(variables::get);
    }

    @Test
    void a_missing_required_variable_stops_the_function_naming_it_and_what_it_is_for() {
        assertThatThrownBy(() -> of(Map.of("READ_TABLE", "  ")).required("READ_TABLE", "the name of the read table"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("READ_TABLE is not set: the function needs the name of the read table in its environment"
                        + " (the CDK stack and the local pipeline both set it)");
    }

    @Test
    void values_are_stripped_and_blank_ones_count_as_unset() {
        Environment environment = of(Map.of("A", " views ", "B", ""));

        assertThat(environment.required("A", "a")).isEqualTo("views");
        assertThat(environment.optional("B")).isEmpty();
        assertThat(environment.nonNegativeInt("B", 7)).isEqualTo(7);
    }

    @Test
    void a_number_that_is_no_whole_number_of_zero_or_more_is_refused_with_its_value() {
        assertThatThrownBy(() -> of(Map.of("N", "-1")).nonNegativeInt("N", 1))
                .hasMessage("N must be a whole number of 0 or more, but is '-1'");
        assertThatThrownBy(() -> of(Map.of("N", "often")).nonNegativeInt("N", 1))
                .hasMessage("N must be a whole number of 0 or more, but is 'often'");
    }

    @Test
    void a_duration_in_milliseconds_must_be_at_least_one() {
        assertThat(of(Map.of("T", "250")).millis("T", Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
        assertThat(of(Map.of()).millis("T", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> of(Map.of("T", "0")).millis("T", Duration.ofSeconds(1)))
                .hasMessage("T must be at least 1 (milliseconds), but is 0");
    }

    @Test
    void a_url_needs_a_scheme_and_a_host() {
        assertThat(of(Map.of("REDIS_URL", "rediss://cache.example:6379")).uri("REDIS_URL")).contains(URI.create("rediss://cache.example:6379"));
        assertThatThrownBy(() -> of(Map.of("REDIS_URL", "cache.example:6379")).uri("REDIS_URL"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("REDIS_URL must be a URL such as redis://host:6379, but is 'cache.example:6379'");
    }
}
