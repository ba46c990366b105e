package dev.factline.functions.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RouteTableTest {

    private final RouteTable<String> routes = RouteTable.<String>builder()
            .add("POST", "/accounts", "open")
            .add("POST", "/accounts/{id}/deposits", "deposit")
            .add("PUT", "/accounts/{id}/deposits", "replace")
            .build();

    @Test
    void a_match_carries_the_path_parameters_and_the_route_key() {
        RouteTable.Match<String> match = routes.find("POST", "/accounts/a-1/deposits");

        assertThat(match.target()).isEqualTo("deposit");
        assertThat(match.parameter("id")).isEqualTo("a-1");
        assertThat(match.route().key()).isEqualTo("POST /accounts/{id}/deposits");
    }

    @Test
    void a_known_path_under_another_method_is_a_405_listing_the_allowed_ones() {
        assertThatThrownBy(() -> routes.find("DELETE", "/accounts/a-1/deposits"))
                .isInstanceOfSatisfying(ProblemException.class, refusal -> {
                    assertThat(refusal.problem().status()).isEqualTo(405);
                    assertThat(refusal.problem().headers()).containsEntry("Allow", "POST, PUT");
                });
    }

    @Test
    void an_unknown_path_is_a_404() {
        for (String path : new String[] {"/accounts/", "/accounts/a-1", "/accounts/a-1/deposits/", "accounts", ""}) {
            assertThatThrownBy(() -> routes.find("POST", path)).as(path)
                    .isInstanceOfSatisfying(ProblemException.class, refusal -> assertThat(refusal.problem().status()).isEqualTo(404));
        }
    }

    @Test
    void a_route_declared_twice_is_a_mistake_caught_at_build_time() {
        assertThatThrownBy(() -> RouteTable.<String>builder().add("POST", "/a", "x").add("POST", "/a", "y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POST /a");
    }
}
