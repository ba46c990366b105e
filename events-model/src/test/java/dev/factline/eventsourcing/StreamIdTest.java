package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamIdTest {

    @Test
    void parses_the_type_and_id_around_the_first_hash() {
        StreamId streamId = StreamId.parse("order#o-1");

        assertThat(streamId.type()).isEqualTo("order");
        assertThat(streamId.id()).isEqualTo("o-1");
        assertThat(streamId).hasToString("order#o-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"order", "#o-1", "order#", "Order#o-1", "order#o 1", "order#o#1", "order#-o1", "1order#o"})
    void refuses_malformed_stream_ids_with_the_offending_value(String value) {
        assertThatThrownBy(() -> StreamId.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stream");
    }

    @Test
    void refuses_an_id_longer_than_128_characters() {
        assertThatThrownBy(() -> StreamId.of("account", "a".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-128 characters")
                .hasMessageEndingWith("...' (129 characters)");
    }

    @Test
    void names_the_field_when_an_embedded_id_is_invalid() {
        assertThatThrownBy(() -> StreamId.requireId("accountId", "no spaces"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accountId must be");
    }
}
