package dev.factline.local;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.local.FactlineApi.RawAnswer;
import dev.factline.local.HttpFront.Request;
import dev.factline.local.HttpFront.Response;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local API's HTTP/1.1, over real sockets with the bytes as written: what it cannot read is API
 * Gateway's JSON 400 without the handler being asked, what it can read reaches the handler as sent.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class HttpFrontTest {

    private final AtomicInteger handled = new AtomicInteger();
    private HttpFront front;

    @BeforeEach
    void start() throws Exception {
        // Echoes what it read: method, target and body.
        front = new HttpFront(0, request -> {
            handled.incrementAndGet();
            return new Response(200, Map.of("content-type", "text/plain"), List.of(),
                    (request.method() + " " + request.target() + " " + new String(request.body(), UTF_8)).getBytes(UTF_8));
        });
    }

    @AfterEach
    void stop() {
        front.close();
    }

    private List<RawAnswer> send(String request) {
        return FactlineApi.sendRaw(front.url(), request.getBytes(ISO_8859_1));
    }

    @Nested
    class A_request_it_cannot_read_is_answered_400_as_api_gateway_answers {

        @ParameterizedTest
        @ValueSource(strings = {"/a\u0000b", "/caf\u00c3\u00a9", "/a?after=%%%", "/a%4", "/a|b", "/a#b", "*", "http://host/a"})
        void when_its_target_is_not_an_origin_form_of_rfc_3986_characters(String target) {
            assertRefused(send("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"X-A: a\u0001b", "X A: b", "X-A: a\r\n b", "Content-Length: 1\r\nContent-Length: 2"})
        void when_a_header_field_is_malformed(String field) {
            assertRefused(send("POST /a HTTP/1.1\r\nHost: h\r\n" + field + "\r\n\r\n"));
        }

        /** Issue 15: the JDK's server this front replaced trimmed such a key and the command went through under the trimmed one. */
        @ParameterizedTest
        @ValueSource(strings = {"\u0001", "\u001f", "\u007f", "\u0000"})
        void an_idempotency_key_ending_in_a_control_character_is_refused_not_trimmed(String control) {
            assertRefused(send("POST /accounts HTTP/1.1\r\nHost: h\r\nIdempotency-Key: retry-1" + control
                    + "\r\nContent-Length: 2\r\n\r\n{}"));
        }

        @Test
        void when_it_is_not_http_1() {
            assertRefused(send("GET /a HTTP/2.0\r\nHost: h\r\n\r\n"));
        }

        private void assertRefused(List<RawAnswer> answers) {
            assertThat(answers).singleElement().satisfies(answer -> {
                assertThat(answer.status()).isEqualTo(400);
                assertThat(answer.headers()).containsEntry("content-type", "application/json").containsEntry("connection", "close");
                assertThat(answer.body()).isEqualTo("{\"message\":\"Bad Request\"}");
            });
            assertThat(handled).hasValue(0);
        }
    }

    @Nested
    class A_request_it_reads {

        @Test
        void reaches_the_handler_with_its_target_as_sent_whatever_rfc_3986_allows_in_it() {
            String target = "/a-._~!$&'()*+,;=:@/%41%c3%a9?q=/?%25&r";

            assertThat(send("GET " + target + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))
                    .singleElement().satisfies(answer -> assertThat(answer.body()).isEqualTo("GET " + target + " "));
        }

        @Test
        void with_a_chunked_body_reaches_the_handler_with_the_body_whole() {
            List<RawAnswer> answers = send("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n");

            assertThat(answers).singleElement().satisfies(answer -> assertThat(answer.body()).isEqualTo("POST /a abcde"));
        }

        @Test
        void after_another_on_the_same_connection_is_answered_in_turn() {
            List<RawAnswer> answers = send("POST /first HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"
                    + "GET /second HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");

            assertThat(answers).extracting(RawAnswer::body).containsExactly("POST /first hi", "GET /second ");
            assertThat(answers.getFirst().headers()).containsEntry("connection", "keep-alive");
        }

        @Test
        void that_expects_100_continue_gets_it_before_it_sends_its_body() throws Exception {
            String interim = "HTTP/1.1 100 Continue\r\n\r\n";
            try (Socket socket = new Socket(front.url().getHost(), front.url().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\n")
                        .getBytes(ISO_8859_1));

                assertThat(new String(socket.getInputStream().readNBytes(interim.length()), ISO_8859_1)).isEqualTo(interim);
                socket.getOutputStream().write("body".getBytes(ISO_8859_1));
                assertThat(new String(socket.getInputStream().readAllBytes(), ISO_8859_1)).endsWith("\r\n\r\nPOST /a body");
            }
        }
    }
}
