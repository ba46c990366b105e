package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The checks the acceptance suite puts on every response, on answers made up here: the right ones pass, the wrong ones are named. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiContractTest {

    private static final String VIEW = """
            {"accountId":"a-1","ownerId":"o-1","currency":"EUR","balance":{"minorUnits":500,"currency":"EUR"},"status":"OPEN",
             "version":2,"openedAt":"2026-03-01T10:00:00Z","updatedAt":"2026-03-01T10:00:01Z"}""";
    private static final Map<String, String> VIEW_HEADERS = Map.of("content-type", "application/json", "etag", "\"2\"", "x-correlation-id", "c-1");

    @Test
    void a_documented_view_passes() {
        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1?minVersion=2", 200, VIEW_HEADERS, VIEW))).isEmpty();
    }

    @Test
    void a_status_the_operation_does_not_document_is_named() {
        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1", 409, VIEW_HEADERS, VIEW)))
                .singleElement().asString().contains("GET /accounts/{id} does not document status 409");
    }

    @Test
    void a_body_of_another_shape_is_named_at_its_member() {
        String renamed = VIEW.replace("\"ownerId\"", "\"owner\"");

        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1", 200, VIEW_HEADERS, renamed)))
                .anySatisfy(violation -> assertThat(violation).contains("ownerId"))
                .anySatisfy(violation -> assertThat(violation).contains("owner"));
    }

    @Test
    void a_value_out_of_its_format_is_named() {
        String local = VIEW.replace("2026-03-01T10:00:01Z", "yesterday");

        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1", 200, VIEW_HEADERS, local)))
                .singleElement().asString().contains("updatedAt");
    }

    @Test
    void an_undocumented_content_type_is_named() {
        Map<String, String> text = Map.of("content-type", "text/plain", "etag", "\"2\"", "x-correlation-id", "c-1");

        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1", 200, text, VIEW)))
                .singleElement().asString().contains("text/plain, not one of [application/json]");
    }

    @Test
    void a_missing_required_header_is_named() {
        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1", 200, Map.of("content-type", "application/json"), VIEW)))
                .anySatisfy(violation -> assertThat(violation).contains("without the header ETag"));
    }

    @Test
    void a_problem_must_carry_a_type_of_its_status() {
        String problem = """
                {"type":"https://factline.dev/problems/precondition-failed","title":"t","status":404,"detail":"d","instance":"/accounts/a-1",
                 "correlationId":"c-1"}""";
        Map<String, String> headers = Map.of("content-type", "application/problem+json", "x-correlation-id", "c-1");

        assertThat(ApiContract.violations(exchange("GET", "/accounts/a-1", 404, headers, problem))).isNotEmpty();
    }

    @Test
    void another_method_must_be_the_documented_405_and_another_path_api_gateways_404() {
        Map<String, String> json = Map.of("content-type", "application/json");

        assertThat(ApiContract.violations(exchange("GET", "/nowhere", 404, json, "{\"message\":\"Not Found\"}"))).isEmpty();
        assertThat(ApiContract.violations(exchange("DELETE", "/accounts/a-1", 404, json, "{\"message\":\"Not Found\"}")))
                .singleElement().asString().contains("DELETE on /accounts/{id}, which the document does not give it, answered 404 where the document gives 405");
    }

    private static ApiContract.Exchange exchange(String method, String path, int status, Map<String, String> headers, String body) {
        return new ApiContract.Exchange(method, path, status, name -> Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT))), body);
    }
}
