package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.functions.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryCursorTest {

    private static final String LISTING = "account#a-1/events";

    @Test
    void a_cursor_gives_back_its_position_in_its_own_listing() {
        String token = Cursor.encode(LISTING, "42");

        assertThat(Cursor.decode(LISTING, token)).isEqualTo("42");
        assertThat(token).matches("[A-Za-z0-9_-]+").doesNotContain("42");
    }

    @Test
    void a_position_may_hold_any_text_such_as_an_instant_and_an_id() {
        String position = "2026-03-01T10:00:00.123Z#o-7";

        assertThat(Cursor.decode("customer#c-1/orders", Cursor.encode("customer#c-1/orders", position))).isEqualTo(position);
    }

    @Test
    void a_cursor_of_another_listing_is_refused_as_such() {
        String token = Cursor.encode("account#a-2/events", "42");

        assertThatThrownBy(() -> Cursor.decode(LISTING, token))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("belongs to another list");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "Zm9v", "a", "YWNjb3VudCNhLTEvZXZlbnRz", "////"})
    void a_token_this_api_did_not_write_is_a_400(String token) {
        assertThatThrownBy(() -> Cursor.decode(LISTING, token))
                .isInstanceOfSatisfying(ProblemException.class, refused -> assertThat(refused.problem().status()).isEqualTo(400));
    }

    @Test
    void a_token_of_bytes_that_are_not_utf_8_is_a_400() {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, '\n', '1'});

        assertThatThrownBy(() -> Cursor.decode(LISTING, token)).isInstanceOf(ProblemException.class);
    }

    @Test
    void a_token_longer_than_any_cursor_is_refused_before_decoding() {
        String longToken = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((LISTING + "\n" + "1".repeat(Cursor.MAX_LENGTH)).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Cursor.decode(LISTING, longToken)).hasMessageContaining("too long");
    }
}
