package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.functions.topology.ApiRoute;
import dev.factline.functions.topology.FunctionSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The local HTTP API answers every request as API Gateway does, on the loopback interface: what
 * used to close the connection without an answer (a body over 10 MB, a handler {@link Error}, a
 * null response, a response that cannot be written back) gets API Gateway's 413 or 500; routes are
 * selected as API Gateway selects them.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class HttpApiGatewayTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String INTERNAL_ERROR = "{\"message\":\"Internal Server Error\"}";

    private static HttpResponse<String> call(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return call(List.of(new ApiRoute("POST", "/probe", "probe")), handler, "POST", body);
    }

    private static HttpResponse<String> call(List<ApiRoute> routes, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
            String method, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        return call(routes, handler, method, "/probe", body);
    }

    private static HttpResponse<String> call(List<ApiRoute> routes, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
            String method, String path, HttpRequest.BodyPublisher body) throws IOException, InterruptedException {
        LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = new LocalFunction<>(
                new FunctionSpec("probe", "probe::handleRequest", 512, Duration.ofSeconds(30), Map.of(), Map.of(), Map.of()), handler);
        HttpApiGateway gateway = new HttpApiGateway(0, routes, Map.of("probe", function), Map.of("GET /_local/parked", () -> "[]"));
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json").method(method, body).build();
            return HTTP.send(request, BodyHandlers.ofString());
        } finally {
            gateway.close();
        }
    }

    private static HttpResponse<String> call(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler)
            throws IOException, InterruptedException {
        return call(handler, BodyPublishers.ofString("{}"));
    }

    @Nested
    class A_request {

        @Test
        void with_a_body_over_10_MB_is_answered_413() throws Exception {
            HttpResponse<String> answer = call((event, context) -> {
                throw new AssertionError("the function must not be invoked");
            }, BodyPublishers.ofByteArray(new byte[10 * 1024 * 1024 + 1]));

            assertThat(answer.statusCode()).isEqualTo(413);
            assertThat(answer.body()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        }

        @Test
        void with_a_body_of_exactly_10_MB_reaches_the_function() throws Exception {
            HttpResponse<String> answer = call((event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withBody(Integer.toString(event.getBody().length())).build(), BodyPublishers.ofString("a".repeat(10 * 1024 * 1024)));

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(Integer.toString(10 * 1024 * 1024));
        }
    }

    @Nested
    class A_route {

        /** The route the function was invoked for, as its event names it. */
        private static final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> ROUTE_KEY =
                (event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody(event.getRouteKey()).build();
        private static final List<ApiRoute> ANY_FIRST = List.of(new ApiRoute(ApiRoute.ANY, "/probe", "probe"), new ApiRoute("POST", "/probe", "probe"));

        @Test
        void of_the_request_s_method_wins_over_the_path_s_any_route_declared_before_it() throws Exception {
            assertThat(call(ANY_FIRST, ROUTE_KEY, "POST", BodyPublishers.ofString("{}")).body()).isEqualTo("POST /probe");
        }

        @Test
        void any_takes_the_methods_the_path_has_no_route_for() throws Exception {
            assertThat(call(ANY_FIRST, ROUTE_KEY, "PUT", BodyPublishers.ofString("{}")).body()).isEqualTo("ANY /probe");
        }

        /** The explorer's files: {@code /_explorer/{proxy+}}; locally an empty rest matches too, so {@code /_explorer/} is its page. */
        @Test
        void with_a_greedy_variable_takes_the_rest_of_the_path_slashes_included() throws Exception {
            List<ApiRoute> files = List.of(new ApiRoute("GET", "/probe/{proxy+}", "probe"));
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> rest = (event, context) -> APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200).withBody("[" + event.getPathParameters().get("proxy+") + "]").build();

            assertThat(call(files, rest, "GET", "/probe/a/b.js", BodyPublishers.noBody()).body()).isEqualTo("[a/b.js]");
            assertThat(call(files, rest, "GET", "/probe/", BodyPublishers.noBody()).body()).isEqualTo("[]");
            assertThat(call(files, rest, "GET", "/probe", BodyPublishers.noBody()).statusCode()).isEqualTo(404);
        }
    }

    @Nested
    class A_function {

        @Test
        void that_throws_an_error_is_answered_500() throws Exception {
            HttpResponse<String> answer = call((event, context) -> {
                throw new StackOverflowError("deep");
            });

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.body()).isEqualTo(INTERNAL_ERROR);
        }

        @Test
        void that_returns_null_is_answered_500() throws Exception {
            HttpResponse<String> answer = call((event, context) -> null);

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.body()).isEqualTo(INTERNAL_ERROR);
        }

        @Test
        void whose_base64_body_does_not_decode_is_answered_500() throws Exception {
            HttpResponse<String> answer = call((event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withIsBase64Encoded(true).withBody("not base64!").build());

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.body()).isEqualTo(INTERNAL_ERROR);
        }

        @Test
        void whose_header_holds_a_line_break_is_answered_500_not_written_as_two_headers() throws Exception {
            HttpResponse<String> answer = call((event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("x-single", "one\r\nx-injected: two")).withBody("made").build());

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.headers().firstValue("x-injected")).isEmpty();
        }

        @Test
        void gets_its_headers_and_cookies_written_back_but_not_multi_value_headers_which_payload_2_0_has_not() throws Exception {
            HttpResponse<String> answer = call((event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                    .withHeaders(Map.of("x-single", "one"))
                    .withMultiValueHeaders(Map.of("x-multi", List.of("two", "three")))
                    .withCookies(List.of("a=1", "b=2"))
                    .withBody("made").build());

            assertThat(answer.statusCode()).isEqualTo(201);
            assertThat(answer.body()).isEqualTo("made");
            assertThat(answer.headers().firstValue("x-single")).hasValue("one");
            assertThat(answer.headers().allValues("x-multi")).isEmpty();
            assertThat(answer.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
        }
    }
}
