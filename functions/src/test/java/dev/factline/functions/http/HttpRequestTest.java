package dev.factline.functions.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpRequestTest {

    private static final int LIMIT = 16;

    @Test
    void the_view_reads_method_path_headers_and_request_id_from_a_real_event() {
        HttpRequest request = HttpRequest.of(HttpApiEvents.post("/accounts").requestId("JKJaXmPLvHcESHA=")
                .header("X-Correlation-Id", "c-1").event());

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/accounts");
        assertThat(request.requestId()).isEqualTo("JKJaXmPLvHcESHA=");
        assertThat(request.header("x-correlation-id")).isEqualTo("c-1");
        assertThat(request.header("X-CORRELATION-ID")).isEqualTo("c-1");
        assertThat(request.header("Host")).isEqualTo("r4nd0m1d.execute-api.eu-central-1.amazonaws.com");
    }

    @Test
    void an_event_without_a_request_context_reads_as_empty() {
        HttpRequest request = HttpRequest.of(new APIGatewayV2HTTPEvent());

        assertThat(request.method()).isEmpty();
        assertThat(request.path()).isEmpty();
        assertThat(request.requestId()).isNull();
        assertThat(request.jsonBody(LIMIT)).isEmpty();
    }

    @Nested
    class Bodies {

        @Test
        void a_body_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not() {
            assertThat(body(HttpApiEvents.post("/x").json("\"" + "a".repeat(LIMIT - 2) + "\""))).hasSize(LIMIT);
            assertStatus(() -> body(HttpApiEvents.post("/x").json("\"" + "a".repeat(LIMIT - 1) + "\"")), 413);
        }

        @Test
        void the_limit_counts_bytes_not_characters() {
            assertStatus(() -> body(HttpApiEvents.post("/x").json("\"" + "é".repeat(LIMIT / 2) + "\"")), 413);
        }

        @Test
        void a_base64_body_is_decoded_and_its_decoded_size_counts() {
            byte[] json = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);

            assertThat(body(HttpApiEvents.post("/x").base64Json(json))).isEqualTo(json);
            assertStatus(() -> body(HttpApiEvents.post("/x").base64Json(new byte[LIMIT + 1])), 413);
        }

        @Test
        void half_of_a_pair_alone_in_a_text_body_is_refused_rather_than_sent_on_as_a_question_mark() {
            assertStatus(() -> body(HttpApiEvents.post("/x").json("\"" + Character.toString(0xDC00) + "\"")), 400);
        }

        @ParameterizedTest
        @ValueSource(strings = {"application/json", "APPLICATION/JSON", "application/json;charset=utf-8", "application/json; charset=\"UTF-8\""})
        void json_is_accepted_with_or_without_a_utf_8_charset(String contentType) {
            assertThat(body(HttpApiEvents.post("/x").header("Content-Type", contentType).body("{}"))).hasSize(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/json", "application/jsonx", "application/problem+json", "application/json; charset=utf-16"})
        void other_media_types_are_unsupported(String contentType) {
            assertStatus(() -> body(HttpApiEvents.post("/x").header("Content-Type", contentType).body("{}")), 415);
        }

        private byte[] body(HttpApiEvents.Request request) {
            return HttpRequest.of(request.event()).jsonBody(LIMIT);
        }
    }

    private static void assertStatus(Runnable read, int status) {
        assertThatThrownBy(read::run)
                .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().status()).isEqualTo(status));
    }
}
