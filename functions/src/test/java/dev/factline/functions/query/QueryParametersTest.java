package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.QueryString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The query string, its typed parameters and the view selector, read strictly and without network. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryParametersTest {

    private static void assertRefused(Runnable reading, String detailContains) {
        assertThatThrownBy(reading::run)
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.problem().status()).isEqualTo(400);
                    assertThat(refused.problem().type()).isEqualTo("https://factline.dev/problems/invalid-request");
                })
                .hasMessageContaining(detailContains);
    }

    @Nested
    class The_query_string {

        @Test
        void is_percent_decoded_as_utf_8_and_keeps_a_plus_as_a_plus() {
            QueryString query = QueryString.parse("asOf=2026-03-01T11:00:00+01:00&name=caf%C3%A9%20au%2Blait&flag");

            assertThat(query.single("asOf")).isEqualTo("2026-03-01T11:00:00+01:00");
            assertThat(query.single("name")).isEqualTo("café au+lait");
            assertThat(query.single("flag")).isEmpty();
            assertThat(query.single("absent")).isNull();
        }

        @Test
        void empty_pairs_are_nothing_and_no_string_is_no_parameters() {
            assertThat(QueryString.parse("&&a=1&").names()).containsExactly("a");
            assertThat(QueryString.parse(null).isEmpty()).isTrue();
            assertThat(QueryString.parse("").isEmpty()).isTrue();
        }

        @Test
        void a_parameter_given_twice_is_refused_when_read() {
            QueryString query = QueryString.parse("limit=1&limit=2");

            assertRefused(() -> query.single("limit"), "'limit' is given 2 times");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%ff", "%c3=1", "a=%e2%82"})
        void a_malformed_escape_or_bytes_that_are_not_utf_8_are_refused(String raw) {
            assertRefused(() -> QueryString.parse(raw), "not valid percent-encoded UTF-8");
        }

        @Test
        void a_digit_of_another_script_is_no_hex_digit() {
            assertRefused(() -> QueryString.parse("a=%\u0663\u0663"), "not valid percent-encoded UTF-8");
        }

        @Test
        void a_name_not_allowed_is_refused_naming_what_is() {
            assertRefused(() -> QueryString.parse("minversion=1").allowOnly(List.of("minVersion", "atVersion")),
                    "unknown query parameter 'minversion'; this resource takes atVersion, minVersion");
            assertRefused(() -> QueryString.parse("x=1").allowOnly(List.of()), "takes no query parameters");
        }

        @Test
        void the_decoded_parameters_of_an_event_without_a_raw_string_are_read_as_they_are() {
            QueryString query = QueryString.of(Map.of("minVersion", "3"));

            assertThat(query.single("minVersion")).isEqualTo("3");
        }
    }

    @Nested
    class Typed_parameters {

        private QueryParameters parameters(String raw, String... allowed) {
            return QueryParameters.of(QueryString.parse(raw), allowed);
        }

        @Test
        void a_version_is_a_whole_number_from_1_of_at_most_18_digits() {
            assertThat(parameters("v=1", "v").version("v")).isEqualTo(1L);
            assertThat(parameters("v=999999999999999999", "v").version("v")).isEqualTo(999_999_999_999_999_999L);
            assertThat(parameters("", "v").version("v")).isNull();
            for (String bad : List.of("0", "-1", "+1", "1.0", "1e3", "", " 1", "9999999999999999999", "0x10", "\u0661")) {
                assertRefused(() -> parameters("v=" + bad.replace("+", "%2B").replace(" ", "%20"), "v").version("v"),
                        "v must be a stream version");
            }
        }

        @Test
        void an_instant_is_iso_8601_with_an_offset() {
            assertThat(parameters("t=2026-03-01T10:00:00Z", "t").instant("t")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
            assertThat(parameters("t=2026-03-01T11:00:00.5%2B01:00", "t").instant("t")).isEqualTo(Instant.parse("2026-03-01T10:00:00.5Z"));
            for (String bad : List.of("2026-03-01", "2026-03-01T10:00:00", "2026-02-30T10:00:00Z", "now", "1772359200")) {
                assertRefused(() -> parameters("t=" + bad, "t").instant("t"), "t must be an ISO-8601 instant");
            }
        }

        @Test
        void a_limit_is_1_to_its_maximum_or_the_default_without_one() {
            assertThat(parameters("", "limit").limit("limit", 50, 100)).isEqualTo(50);
            assertThat(parameters("limit=1", "limit").limit("limit", 50, 100)).isEqualTo(1);
            assertThat(parameters("limit=100", "limit").limit("limit", 50, 100)).isEqualTo(100);
            for (String bad : List.of("0", "101", "-1", "1.0", "", "ten", "0001")) {
                assertRefused(() -> parameters("limit=" + bad, "limit").limit("limit", 50, 100), "limit must be a whole number from 1 to 100");
            }
        }

        @Test
        void a_flag_is_true_or_false() {
            assertThat(parameters("f=true", "f").flag("f")).isTrue();
            assertThat(parameters("f=false", "f").flag("f")).isFalse();
            assertThat(parameters("", "f").flag("f")).isFalse();
            assertRefused(() -> parameters("f=yes", "f").flag("f"), "f must be true or false");
        }
    }

    @Nested
    class The_view_selector {

        private ViewSelector select(String raw, @Nullable String minVersionHeader) {
            return ViewSelector.read(QueryParameters.of(QueryString.parse(raw), ViewSelector.PARAMETERS), minVersionHeader);
        }

        @Test
        void without_parameters_it_is_the_current_view_of_any_version() {
            assertThat(select("", null)).isEqualTo(ViewSelector.Current.ANY);
        }

        @Test
        void min_version_comes_from_the_parameter_or_the_header_also_as_an_etag() {
            assertThat(select("minVersion=3", null)).isEqualTo(new ViewSelector.Current(3L, false));
            assertThat(select("", "3")).isEqualTo(new ViewSelector.Current(3L, false));
            assertThat(select("", " \"3\" ")).isEqualTo(new ViewSelector.Current(3L, false));
            assertThat(select("consistent=true&minVersion=2", null)).isEqualTo(new ViewSelector.Current(2L, true));
            assertThat(select("consistent=false", null)).isEqualTo(ViewSelector.Current.ANY);
        }

        @Test
        void at_version_and_as_of_name_one_view_of_the_past() {
            assertThat(select("atVersion=4", null)).isEqualTo(new ViewSelector.AtVersion(4));
            assertThat(select("asOf=2026-03-01T10:00:00Z", null)).isEqualTo(new ViewSelector.AsOf(Instant.parse("2026-03-01T10:00:00Z")));
        }

        @Test
        void the_past_and_the_present_cannot_be_asked_for_together() {
            assertRefused(() -> select("atVersion=1&asOf=2026-03-01T10:00:00Z", null), "atVersion and asOf cannot be combined");
            assertRefused(() -> select("minVersion=1&atVersion=1", null), "minVersion and atVersion cannot be combined");
            assertRefused(() -> select("consistent=false&asOf=2026-03-01T10:00:00Z", null), "consistent and asOf cannot be combined");
            assertRefused(() -> select("atVersion=1", "1"), "Min-Version and atVersion cannot be combined");
        }

        @Test
        void the_minimum_version_is_given_once() {
            assertRefused(() -> select("minVersion=1", "1"), "give it once");
            assertRefused(() -> select("", "W/\"1\""), "Min-Version must be a stream version");
        }
    }
}
