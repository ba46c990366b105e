package dev.factline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SettingsTest {

    @Test
    void an_app_without_context_gets_the_documented_defaults() {
        Settings settings = fromContext(Map.of());

        assertThat(settings).isEqualTo(Settings.defaults());
        assertThat(settings.stage()).isEqualTo("dev");
        assertThat(settings.prefix()).isEqualTo("factline-dev");
        assertThat(settings.stackName("Data")).isEqualTo("Factline-dev-Data");
        assertThat(settings.createsCache()).isTrue();
        assertThat(settings.jwt()).isEmpty();
        assertThat(settings.local()).isFalse();
        assertThat(settings.functionsJar()).isEqualTo(Path.of("../functions/target/functions-lambda.jar"));
        assertThat(settings.openExplorerPage()).isFalse();
    }

    @Test
    void the_explorer_s_page_is_opened_only_beside_a_jwt_authorizer_whose_token_it_can_send() {
        assertThat(fromContext(Map.of("jwtIssuer", "https://id.example.com/", "jwtAudience", "api", "openExplorerPage", "true"))
                .openExplorerPage()).isTrue();
        assertThatThrownBy(() -> fromContext(Map.of("openExplorerPage", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context openExplorerPage=true needs a JWT authorizer (jwtIssuer, jwtAudience): under IAM "
                        + "authorization a browser cannot sign the page's reads");
    }

    @Test
    void context_values_override_the_defaults_as_strings_or_json_values() {
        Settings settings = fromContext(Map.of("stage", "prod", "cache", false, "jwtIssuer", "https://id.example.com/",
                "jwtAudience", "api, ops", "throttleRateLimit", "500", "throttleBurstLimit", 1000));

        assertThat(settings.prefix()).isEqualTo("factline-prod");
        assertThat(settings.createsCache()).isFalse();
        assertThat(settings.jwt()).contains(new Settings.Jwt("https://id.example.com/", List.of("api", "ops")));
        assertThat(settings.throttleRateLimit()).isEqualTo(500);
        assertThat(settings.throttleBurstLimit()).isEqualTo(1000);
    }

    @Test
    void the_local_variant_takes_a_redis_url_and_never_creates_a_cache() {
        Settings settings = fromContext(Map.of("local", "true", "redisUrl", "redis://localhost:6379"));

        assertThat(settings.local()).isTrue();
        assertThat(settings.createsCache()).isFalse();
        assertThat(settings.localRedisUrl()).contains("redis://localhost:6379");
    }

    @Test
    void a_jwt_issuer_without_an_audience_is_refused() {
        assertThatThrownBy(() -> fromContext(Map.of("jwtIssuer", "https://id.example.com/")))
                .hasMessageContaining("needs both context jwtIssuer and jwtAudience");
    }

    @Test
    void an_alarm_email_is_taken_and_one_that_is_no_address_is_refused() {
        assertThat(fromContext(Map.of("alarmEmail", " oncall@example.com ")).alarmEmail()).contains("oncall@example.com");
        assertThat(Settings.defaults().alarmEmail()).isEmpty();
        assertThatThrownBy(() -> fromContext(Map.of("alarmEmail", "oncall.example.com")))
                .hasMessage("context alarmEmail must be an email address, not 'oncall.example.com'");
    }

    @Test
    void a_stage_that_cannot_name_resources_is_refused() {
        assertThatThrownBy(() -> fromContext(Map.of("stage", "Prod_1")))
                .hasMessageContaining("context stage must be 1-20 lowercase letters");
    }

    @Test
    void a_redis_url_outside_the_local_variant_is_refused() {
        assertThat(Settings.defaults().asLocal(Optional.empty()).withStage("x").local()).isTrue();
        assertThatThrownBy(() -> fromContext(Map.of("redisUrl", "redis://localhost:6379")))
                .hasMessageContaining("context redisUrl is for the local variant");
    }

    @Test
    void a_flag_that_is_neither_true_nor_false_is_refused() {
        assertThatThrownBy(() -> fromContext(Map.of("cache", "yes")))
                .hasMessage("context cache is true or false, not 'yes'");
    }

    private static Settings fromContext(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).outdir(TestApps.outdir().toString()).build());
        return Settings.fromContext(app.getNode());
    }
}
