package dev.factline.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.local.HttpFront.Response;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(ReplaceUnderscores.class)
class ExplorerPageTest {

    @Test
    void the_folder_is_the_page_with_a_policy_that_allows_only_its_own_origin() {
        Response page = ExplorerPage.asset("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsEntry("content-type", "text/html; charset=utf-8");
        assertThat(page.headers().get("content-security-policy")).startsWith("default-src 'self'");
        assertThat(new String(page.body(), UTF_8)).contains("<script src=\"explorer.js\" defer></script>");
    }

    @Test
    void the_script_and_the_style_sheet_are_served_with_their_types() {
        assertThat(ExplorerPage.asset("/explorer.js").headers()).containsEntry("content-type", "text/javascript; charset=utf-8");
        assertThat(ExplorerPage.asset("/explorer.css").headers()).containsEntry("content-type", "text/css; charset=utf-8");
    }

    @Test
    void without_the_slash_it_redirects_to_the_folder_so_relative_links_resolve() {
        Response redirect = ExplorerPage.asset("");

        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers()).containsEntry("location", "/_explorer/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing.js", "/../openapi.json", "/%2e%2e/x.js", "/explorer.JS", "/sub/index.html", "/index.html.bak"})
    void anything_else_is_a_404_problem(String rest) {
        Response missing = ExplorerPage.asset(rest);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(new String(missing.body(), UTF_8)).contains("\"type\":\"https://factline.dev/problems/not-found\"");
    }
}
