package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.config.Environment;
import dev.factline.functions.config.FunctionSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublisherFunctionSettingsTest {

    @Test
    void the_stream_comes_from_published_events_stream() {
        assertThat(Environment.of(Map.of("PUBLISHED_EVENTS_STREAM", " factline-events_1.0 ")).get(FunctionSettings.PUBLISHED_EVENTS_STREAM))
                .isEqualTo("factline-events_1.0");
    }

    @Test
    void without_it_the_function_does_not_start_and_says_which_variable_is_missing() {
        assertThatThrownBy(() -> PublisherFunction.fromEnvironment(Environment.of(Map.of("AWS_REGION", "us-east-1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PUBLISHED_EVENTS_STREAM is not set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:kinesis:us-east-1:123456789012:stream/events", "with space", "a/b"})
    void a_value_that_is_no_stream_name_is_refused_with_the_rule(String value) {
        assertThatThrownBy(() -> PublisherFunction.fromEnvironment(Environment.of(Map.of("PUBLISHED_EVENTS_STREAM", value))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be a Kinesis stream name")
                .hasMessageContaining(value);
    }

    @Test
    void the_limits_are_kinesis_quotas() {
        assertThat(PublishLimits.kinesis()).isEqualTo(new PublishLimits(500, 5 * 1024 * 1024, 1024 * 1024));
    }

    @Test
    void the_time_reserve_covers_a_whole_call_with_its_sdk_retries() {
        assertThat(PublisherFunction.TIME_RESERVE).isGreaterThan(Duration.ofSeconds(12));
    }
}
