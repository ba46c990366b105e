package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contracts the local pipeline serves, through the gateway with the same routes LocalPipeline gives it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PublishedContractsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpApiGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = new HttpApiGateway(0, List.of(), Map.of(), Map.of(PublishedContracts.ASYNCAPI_ROUTE, PublishedContracts::asyncApi),
                Map.of(PublishedContracts.SCHEMAS_ROUTE, PublishedContracts::schema));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    @Test
    void the_asyncapi_document_names_every_version_of_money_deposited() throws Exception {
        HttpResponse<String> response = get("/asyncapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(response.body());
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(document.at("/components/messages").has("MoneyDeposited.v1")).isTrue();
        assertThat(document.at("/components/messages").has("MoneyDeposited.v3")).isTrue();
    }

    @Test
    void a_schema_is_served_by_type_and_version() throws Exception {
        HttpResponse<String> response = get("/schemas/MoneyDeposited/1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/schema+json");
        assertThat(JSON.readTree(response.body()).path("title").asText()).isEqualTo("MoneyDeposited v1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/schemas/MoneyDeposited/4", "/schemas/NoSuchEvent/1", "/schemas/MoneyDeposited/0", "/schemas/MoneyDeposited",
            "/schemas/moneyDeposited/1", "/schemas/MoneyDeposited/1.json", "/schemas/", "/schemas/%2e%2e/1"})
    void an_unknown_type_or_version_is_a_404_problem(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("type").asText()).isEqualTo("https://factline.dev/problems/not-found");
        assertThat(problem.path("instance").asText()).isEqualTo(path);
    }
}
