package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.factline.functions.http.HttpRequest;
import dev.factline.functions.http.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What the query function reads of an event beyond the command side's needs: the query string and the correlation id. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryHttpRequestTest {

    @Test
    void the_raw_query_string_is_read_so_a_repeated_parameter_is_seen_as_such() {
        HttpRequest request = HttpRequest.of(QueryEvents.get("/accounts/a-1?minVersion=1&minVersion=2").event());

        assertThatThrownBy(() -> request.query().single("minVersion")).isInstanceOf(ProblemException.class);
    }

    @Test
    void an_event_with_only_decoded_parameters_is_read_from_them() {
        APIGatewayV2HTTPEvent event = QueryEvents.get("/accounts/a-1").event();
        event.setRawQueryString(null);
        event.setQueryStringParameters(Map.of("atVersion", "3"));

        assertThat(HttpRequest.of(event).query().single("atVersion")).isEqualTo("3");
    }

    @Test
    void a_malformed_query_string_fails_only_when_read_so_reading_the_event_never_does() {
        HttpRequest request = HttpRequest.of(QueryEvents.get("/accounts/a-1?minVersion=%zz").event());

        assertThat(request.path()).isEqualTo("/accounts/a-1");
        assertThatThrownBy(request::query).isInstanceOf(ProblemException.class);
    }

    @Test
    void the_correlation_id_is_the_clients_token_else_the_request_id_else_a_fresh_one() {
        APIGatewayV2HTTPEvent withHeader = QueryEvents.get("/dashboard").header("X-Correlation-Id", "corr-1").event();
        APIGatewayV2HTTPEvent withUnusableHeader = QueryEvents.get("/dashboard").header("X-Correlation-Id", "two words").event();
        APIGatewayV2HTTPEvent withoutRequestId = QueryEvents.get("/dashboard").event();
        withoutRequestId.getRequestContext().setRequestId(null);

        assertThat(HttpRequest.of(withHeader).correlationId(() -> "fresh")).isEqualTo("corr-1");
        assertThat(HttpRequest.of(withUnusableHeader).correlationId(() -> "fresh")).startsWith("req-");
        assertThat(HttpRequest.of(withoutRequestId).correlationId(() -> "fresh")).isEqualTo("fresh");
    }
}
