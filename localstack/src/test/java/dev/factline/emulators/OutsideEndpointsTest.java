package dev.factline.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/** The endpoint switch's variables (here, beside the suites it switches: the emulators module has no tests of its own). */
@DisplayNameGeneration(ReplaceUnderscores.class)
class OutsideEndpointsTest {

    /** Nothing listens on port 1, so the moto probe answers no at once. */
    private static final String NOBODY = "http://127.0.0.1:1";

    @Test
    void nothing_set_means_the_suites_own_emulators() {
        assertThat(OutsideEndpoints.select("", Map.of())).isEmpty();
    }

    @Test
    void one_url_serves_all_three_services() {
        OutsideEndpoints endpoints = OutsideEndpoints.select("", Map.of(OutsideEndpoints.ALL, NOBODY)).orElseThrow();

        assertThat(endpoints.dynamoDb()).isEqualTo(URI.create(NOBODY));
        assertThat(endpoints.streams()).isEqualTo(URI.create(NOBODY));
        assertThat(endpoints.kinesis()).isEqualTo(URI.create(NOBODY));
        assertThat(endpoints.isMoto()).isFalse();
    }

    @Test
    void each_service_can_be_pointed_elsewhere_and_streams_follow_dynamodb() {
        OutsideEndpoints endpoints = OutsideEndpoints.select("", Map.of(OutsideEndpoints.DYNAMODB, "http://127.0.0.1:2",
                OutsideEndpoints.KINESIS, "http://127.0.0.1:3")).orElseThrow();

        assertThat(endpoints.streams()).isEqualTo(URI.create("http://127.0.0.1:2"));
        assertThat(endpoints.kinesis()).isEqualTo(URI.create("http://127.0.0.1:3"));
    }

    @Test
    void a_partial_set_is_refused() {
        assertThatThrownBy(() -> OutsideEndpoints.select("", Map.of(OutsideEndpoints.DYNAMODB, NOBODY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only some of them are set");
    }

    @Test
    void a_value_that_is_no_url_is_refused_by_its_variable() {
        assertThatThrownBy(() -> OutsideEndpoints.select("", Map.of(OutsideEndpoints.ALL, "localhost:5000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(OutsideEndpoints.ALL + " must be an endpoint URL");
    }

    @Test
    void an_unknown_backend_is_refused() {
        assertThatThrownBy(() -> OutsideEndpoints.select("dynalite", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be moto or unset");
    }
}
