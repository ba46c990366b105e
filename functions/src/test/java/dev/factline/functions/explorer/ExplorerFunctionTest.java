package dev.factline.functions.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.functions.http.HttpApiEvents;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(ReplaceUnderscores.class)
class ExplorerFunctionTest {

    private static final ExplorerFunction EXPLORER = new ExplorerFunction();

    private static APIGatewayV2HTTPResponse get(String path) {
        return EXPLORER.handleRequest(HttpApiEvents.request("GET", path).event(), null);
    }

    @Test
    void the_page_is_served_with_a_policy_that_allows_only_its_own_origin() {
        APIGatewayV2HTTPResponse page = get("/_explorer/index.html");

        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getHeaders()).containsEntry("Content-Type", "text/html; charset=utf-8").containsEntry("Cache-Control", "no-cache");
        assertThat(page.getHeaders().get("Content-Security-Policy")).startsWith("default-src 'self'");
        assertThat(page.getBody()).contains("<script src=\"explorer.js\" defer></script>");
    }

    @Test
    void the_folder_with_its_slash_is_the_page_too() {
        assertThat(get("/_explorer/").getBody()).isEqualTo(get("/_explorer/index.html").getBody());
    }

    @Test
    void the_script_and_the_style_sheet_are_served_with_their_types() {
        assertThat(get("/_explorer/explorer.js").getHeaders()).containsEntry("Content-Type", "text/javascript; charset=utf-8");
        assertThat(get("/_explorer/explorer.css").getHeaders()).containsEntry("Content-Type", "text/css; charset=utf-8");
    }

    @Test
    void without_the_slash_it_redirects_to_the_page_so_relative_links_resolve() {
        APIGatewayV2HTTPResponse redirect = get("/_explorer");

        assertThat(redirect.getStatusCode()).isEqualTo(302);
        assertThat(redirect.getHeaders()).containsEntry("Location", "/_explorer/index.html");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_explorer/missing.js", "/_explorer/..", "/_explorer/explorer.JS", "/_explorer/sub/index.html",
            "/_explorer/index.html.bak", "/_explorer/%2e%2e"})
    void any_other_file_is_a_404_problem_naming_the_page(String path) {
        APIGatewayV2HTTPResponse missing = get(path);

        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(missing.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(missing.getBody()).contains("\"type\":\"https://factline.dev/problems/not-found\"", "/_explorer/index.html");
    }

    @Test
    void another_method_is_a_405_naming_get() {
        APIGatewayV2HTTPResponse refused = EXPLORER.handleRequest(HttpApiEvents.request("POST", "/_explorer/index.html").event(), null);

        assertThat(refused.getStatusCode()).isEqualTo(405);
        assertThat(refused.getHeaders()).containsEntry("Allow", "GET");
    }
}
