package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.ProblemException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conditional GET's entity tags ({@code EntityTags}, shared with the command side), as the query function uses them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryEntityTagsTest {

    @Test
    void without_if_none_match_there_is_no_condition() {
        assertThat(EntityTags.ifNoneMatch(null)).isNull();
    }

    @Test
    void a_star_matches_any_representation() {
        EntityTags.IfNoneMatch any = EntityTags.ifNoneMatch(" * ");

        assertThat(any.matches("\"1\"")).isTrue();
        assertThat(any.matches("W/\"abc\"")).isTrue();
    }

    @Test
    void tags_match_by_weak_comparison_in_a_list_with_any_spacing() {
        EntityTags.IfNoneMatch condition = EntityTags.ifNoneMatch("\"7\",W/\"3\" ,  \"x\",,");

        assertThat(condition.matches("\"3\"")).as("a strong tag against a weak one").isTrue();
        assertThat(condition.matches("W/\"7\"")).as("a weak tag against a strong one").isTrue();
        assertThat(condition.matches("\"x\"")).isTrue();
        assertThat(condition.matches("\"4\"")).isFalse();
        assertThat(condition.matches("\"37\"")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "3", "W/3", "\"3\" \"4\"", "*, \"3\"", "\"3", "w/\"3\"", "\"a b\"", "\"a\"b\"", ",,", "W/"})
    void anything_else_is_a_400(String header) {
        assertThatThrownBy(() -> EntityTags.ifNoneMatch(header))
                .isInstanceOfSatisfying(ProblemException.class, refused -> assertThat(refused.problem().status()).isEqualTo(400))
                .hasMessageStartingWith("If-None-Match must be * or a list of entity tags");
    }

    @Test
    void a_weak_tag_of_content_is_stable_short_and_changes_with_the_content() {
        String tag = EntityTags.weakOf("{\"a\":1}");

        assertThat(tag).isEqualTo(EntityTags.weakOf("{\"a\":1}")).matches("W/\"[A-Za-z0-9_-]{22}\"");
        assertThat(EntityTags.weakOf("{\"a\":2}")).isNotEqualTo(tag);
    }

    @Test
    void a_version_tag_is_the_command_sides() {
        assertThat(EntityTags.of(12)).isEqualTo("\"12\"");
        assertThat(EntityTags.ifNoneMatch(EntityTags.of(12)).matches(EntityTags.of(12))).isTrue();
    }
}
