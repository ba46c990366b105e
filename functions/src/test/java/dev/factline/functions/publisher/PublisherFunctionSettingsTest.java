package dev.factline.functions.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.factline.emulators.InvocationContext;
import dev.factline.functions.config.Environment;
import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.snapstart.Priming;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
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

    /** The local pipeline wrote the reserve a second time, as 15 s; it now builds the publisher with this factory. */
    @Test
    void a_publisher_built_from_its_environment_starts_no_call_with_less_than_its_time_reserve_left() throws IOException {
        try (ServerSocket kinesis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            kinesis.setSoTimeout(200);
            PublisherFunction publisher = PublisherFunction.fromEnvironment(Environment.of(Map.of(
                    "PUBLISHED_EVENTS_STREAM", "factline-events", "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                    "AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:" + kinesis.getLocalPort())));

            StreamsEventResponse answer = publisher.handleRequest(Priming.accountCommit(),
                    InvocationContext.withTimeLeft("publisher", 512, PublisherFunction.TIME_RESERVE.minusMillis(1)));

            assertThat(answer.getBatchItemFailures()).as("the commit comes again").hasSize(1);
            assertThatThrownBy(kinesis::accept).as("no connection to Kinesis").isInstanceOf(SocketTimeoutException.class);
        }
    }
}
