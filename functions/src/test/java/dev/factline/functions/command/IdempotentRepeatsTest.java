package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdempotentRepeatsTest {

    private final FunctionUnderTest under = new FunctionUnderTest();

    private APIGatewayV2HTTPResponse deposit(String key, String json) {
        return under.send(HttpApiEvents.post("/accounts/a-1/deposits").header("Idempotency-Key", key).json(json));
    }

    @Test
    void the_same_command_spelled_differently_is_a_repeat_not_a_reuse() {
        under.send(HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-1\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}"));
        APIGatewayV2HTTPResponse first = deposit("deposit-0001", "{\"amount\":{\"minorUnits\":1000,\"currency\":\"EUR\"}}");

        APIGatewayV2HTTPResponse respelled = deposit("deposit-0001",
                "{ \"reference\" : null,\n  \"amount\": {\"currency\": \"\\u0045UR\", \"minorUnits\": 1000} }");

        assertThat(respelled.getStatusCode()).isEqualTo(first.getStatusCode());
        assertThat(respelled.getBody()).isEqualTo(first.getBody());
        assertThat(respelled.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(under.events.load(StreamId.of("account", "a-1"))).hasSize(2);
    }

    @Test
    void another_command_under_the_same_key_is_a_reuse() {
        under.send(HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-1\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}"));
        deposit("deposit-0002", "{\"amount\":{\"minorUnits\":1000,\"currency\":\"EUR\"}}");

        APIGatewayV2HTTPResponse other = deposit("deposit-0002", "{\"amount\":{\"minorUnits\":1001,\"currency\":\"EUR\"}}");

        assertThat(other.getStatusCode()).isEqualTo(422);
        assertThat(FunctionUnderTest.json(other).path("type").asText()).isEqualTo("https://factline.dev/problems/idempotency-key-reused");
    }

    @Test
    void a_key_header_sent_twice_is_refused_rather_than_joined() {
        under.send(HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-1\",\"ownerId\":\"c-1\",\"currency\":\"EUR\"}"));

        APIGatewayV2HTTPResponse twice = deposit("deposit-0003,deposit-0004", "{\"amount\":{\"minorUnits\":5,\"currency\":\"EUR\"}}");

        assertThat(twice.getStatusCode()).isEqualTo(400);
        assertThat(FunctionUnderTest.json(twice).path("detail").asText()).contains("without commas");
    }
}
