package dev.factline.functions.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonObjectReaderTest {

    @Nested
    class Integers {

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
            "1000, 1000",
            "-0, 0",
            "9223372036854775807, 9223372036854775807",
            "-9223372036854775808, -9223372036854775808"
        })
        void an_integer_literal_is_read_exactly(String number, long expected) {
            assertThat(reader("{\"n\": " + number + "}").requiredLong("n")).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.5", "1e-3", "0.1", "9223372036854775807.5"})
        void a_fraction_is_not_an_integer(String number) {
            assertRefused(() -> reader("{\"n\": " + number + "}").requiredLong("n"), "/n", "/n must be an integer, but was ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.0", "1000.0", "1e3", "1E+3", "12.50e1", "-0.0", "9.223372036854775807e18", "1e19", "1e999999999"})
        void an_integral_decimal_such_as_1_0_is_not_an_integer_either(String number) {
            assertRefused(() -> reader("{\"n\": " + number + "}").requiredLong("n"), "/n", "/n must be an integer, but was ");
            assertRefused(() -> reader("{\"n\": " + number + "}").requiredInt("n", 0, 10), "/n", "/n must be an integer, but was ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"})
        void an_integer_beyond_a_long_is_refused(String number) {
            assertRefused(() -> reader("{\"n\": " + number + "}").requiredLong("n"), "/n", "/n must be an integer from ");
        }

        @Test
        void a_bounded_integer_names_its_range() {
            JsonObjectReader line = reader("{\"lines\": [{\"quantity\": 3}, {\"quantity\": 0}]}").requiredObjects("lines", 1, 100).get(1);

            assertRefused(() -> line.requiredInt("quantity", 1, 10_000), "/lines/1/quantity", "/lines/1/quantity must be 1..10000, but was 0");
        }
    }

    @Nested
    class Members {

        @Test
        void every_unknown_member_is_named() {
            assertThatThrownBy(() -> reader("{\"a\": 1, \"b\": 2, \"c\": 3}").allowOnly("a"))
                    .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().errors())
                            .extracting(FieldError::pointer).containsExactly("/b", "/c"));
        }

        @Test
        void member_names_are_escaped_in_pointers() {
            assertThatThrownBy(() -> reader("{\"a/b~c\": 1}").allowOnly())
                    .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().errors())
                            .extracting(FieldError::pointer).containsExactly("/a~1b~0c"));
        }

        @Test
        void null_is_absent() {
            JsonObjectReader body = reader("{\"note\": null, \"name\": null}");

            assertThat(body.optionalString("note")).isNull();
            assertRefused(() -> body.requiredString("name"), "/name", "/name is required");
        }

        @Test
        void a_check_that_fails_is_a_field_error_with_its_message() {
            JsonObjectReader body = reader("{\"reason\": \" \"}");

            assertRefused(() -> body.check("reason", () -> {
                throw new IllegalArgumentException("reason must not be blank");
            }), "/reason", "/reason: reason must not be blank");
        }
    }

    @Nested
    class Texts_that_are_not_unicode {

        @Test
        void a_surrogate_pair_is_text_escaped_or_not() {
            JsonObjectReader body = reader("{\"escaped\": \"\\ud83d\\ude00\", \"raw\": \"\uD83D\uDE00\"}");

            assertThat(body.requiredString("escaped")).isEqualTo("\uD83D\uDE00").isEqualTo(body.requiredString("raw"));
        }

        @Test
        void every_string_with_a_half_of_a_pair_alone_is_named_at_once_before_any_member_is_read() {
            String body = "{\"high\": \"\\ud800\", \"items\": [\"ok\", \"\\udc00 low\"], \"deep\": {\"reversed\": \"\\ude00\\ud83d\"}}";

            assertThatThrownBy(() -> reader(body))
                    .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().errors())
                            .extracting(FieldError::pointer).containsExactly("/high", "/items/1", "/deep/reversed"));
        }

        @Test
        void the_replacement_character_that_a_decoder_puts_for_bytes_that_were_not_utf_8_is_refused_escaped_or_not() {
            assertThatThrownBy(() -> reader("{\"raw\": \"rent \uFFFD\", \"escaped\": [\"\\ufffd\"]}"))
                    .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().errors())
                            .extracting(FieldError::pointer).containsExactly("/raw", "/escaped/0"));
        }

        @Test
        void a_member_name_with_half_of_a_pair_alone_is_malformed_json_and_is_not_echoed() {
            for (String name : List.of("\\ud800", "x\\udc00", "\\ude00\\ud83d")) {
                assertRefused(() -> reader("{\"amount\": {\"" + name + "\": 1}}"), "", "the request body is not valid JSON");
                assertThatThrownBy(() -> reader("{\"" + name + "\": 1}")).message().doesNotContain("\uD800", "\uDC00", "\uDE00");
            }
        }
    }

    @Nested
    class Bodies {

        @Test
        void a_second_value_after_the_object_is_refused() {
            assertRefused(() -> reader("{} {}"), "", "the request body holds more than one JSON value; the second starts at line 1, column 4");
        }

        @Test
        void a_member_named_twice_is_refused() {
            assertRefused(() -> reader("{\"a\": 1, \"a\": 2}"), "", "the request body is not valid JSON: Duplicate field 'a'");
        }
    }

    private static JsonObjectReader reader(String json) {
        return JsonObjectReader.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Runnable read, String pointer, String detailStart) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(ProblemException.class, refusal -> {
            Problem problem = refusal.problem();
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.errors()).extracting(FieldError::pointer).isEqualTo(List.of(pointer));
            assertThat(problem.detail()).startsWith(detailStart);
        });
    }
}
