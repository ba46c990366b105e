package dev.factline.functions.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EntityTagsTest {

    @Test
    void a_version_is_a_quoted_strong_tag() {
        assertThat(EntityTags.of(42)).isEqualTo("\"42\"");
    }

    @Test
    void no_header_pins_nothing() {
        assertThat(EntityTags.ifMatchVersion(null)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"3\"|3", "3|3", " \"0\" |0", "\"999999999999999999\"|999999999999999999"})
    void if_match_names_one_version_quoted_or_not(String header, long version) {
        assertThat(EntityTags.ifMatchVersion(header)).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "W/\"3\"", "\"3", "3\"", "\"3\", \"4\"", "\"-1\"", "\"+1\"", "\"1.0\"", "\"9999999999999999999\"", "three"})
    void anything_else_is_a_bad_request(String header) {
        assertThatThrownBy(() -> EntityTags.ifMatchVersion(header))
                .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().status()).isEqualTo(400));
    }
}
