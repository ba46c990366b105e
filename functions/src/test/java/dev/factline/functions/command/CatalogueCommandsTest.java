package dev.factline.functions.command;

import static dev.factline.functions.command.FunctionUnderTest.json;
import static dev.factline.functions.http.HttpApiEvents.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The third domain, hosted only through its declaration ({@code CatalogueDomain}), answered by the same command function. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogueCommandsTest {

    private static final String PROBLEMS = "https://factline.dev/problems/";
    private static final StreamId PRODUCT = Products.TYPE.streamId("p-1");

    private final FunctionUnderTest under = new FunctionUnderTest();

    private APIGatewayV2HTTPResponse create() {
        return under.send(post("/products").json("""
                {"productId": "p-1", "sku": "MUG-1", "name": "Mug", "stock": 10}"""));
    }

    private APIGatewayV2HTTPResponse reserve(String reservationId, int quantity) {
        return under.send(post("/products/p-1/reservations").json("""
                {"reservationId": "%s", "quantity": %d}""".formatted(reservationId, quantity)));
    }

    @Test
    void a_product_is_created_at_its_location_and_reserved_up_to_its_stock() {
        APIGatewayV2HTTPResponse created = create();
        APIGatewayV2HTTPResponse reserved = reserve("o-1", 10);

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(created.getHeaders()).containsEntry("Location", "/products/p-1");
        assertThat(json(created).get("events").get(0).get("data")).isEqualTo(json("{\"sku\":\"MUG-1\",\"name\":\"Mug\",\"stock\":10}"));
        assertThat(reserved.getStatusCode()).as(reserved.getBody()).isEqualTo(200);
        assertThat(json(reserved).get("events").get(0).get("type").asText()).isEqualTo("StockReserved");
    }

    @Test
    void a_reservation_beyond_the_stock_left_is_422_and_writes_nothing() {
        create();
        reserve("o-1", 6);

        APIGatewayV2HTTPResponse refused = reserve("o-2", 5);

        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(422);
        JsonNode problem = json(refused);
        assertThat(problem.get("type").asText()).isEqualTo(PROBLEMS + "rules/insufficient-stock");
        assertThat(problem.get("detail").asText()).isEqualTo("product p-1 has 4 units not yet reserved, fewer than the 5 asked for");
        assertThat(under.events.load(PRODUCT)).hasSize(2);
    }

    @Test
    void a_sku_another_product_has_in_any_case_is_409_naming_it_and_writes_nothing() {
        create();

        APIGatewayV2HTTPResponse refused = under.send(post("/products").json("""
                {"productId": "p-2", "sku": "mug-1", "name": "Cup", "stock": 1}"""));

        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(409);
        JsonNode problem = json(refused);
        assertThat(problem.get("type").asText()).isEqualTo(PROBLEMS + "unique-value-taken");
        assertThat(problem.get("code").asText()).isEqualTo("sku-taken");
        assertThat(problem.get("detail").asText()).isEqualTo("sku 'MUG-1' is taken by another product, so product#p-2 cannot have it; nothing was written");
        assertThat(under.events.load(Products.TYPE.streamId("p-2"))).isEmpty();
    }

    @Test
    void a_sku_that_is_not_one_is_400_at_its_pointer_and_writes_nothing() {
        APIGatewayV2HTTPResponse refused = under.send(post("/products").json("""
                {"productId": "p-1", "sku": "MUG 1", "name": "Mug", "stock": 10}"""));

        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(400);
        assertThat(refused.getBody()).contains("/sku");
        assertThat(under.store.appends()).isZero();
    }

    @Test
    void stock_on_a_product_never_created_is_not_found() {
        APIGatewayV2HTTPResponse refused = under.send(post("/products/p-9/stock").json("{\"quantity\": 1}"));

        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(404);
        assertThat(json(refused).get("code").asText()).isEqualTo("product-not-found");
        assertThat(under.store.appends()).isZero();
    }
}
