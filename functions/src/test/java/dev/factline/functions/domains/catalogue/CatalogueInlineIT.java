package dev.factline.functions.domains.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.catalogue.ProductView;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.query.QuerySettings;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's inline product view and unique SKUs on dynalite, with no projector running: a
 * read right after a command's answer can only see the command's effect if the commit wrote it.
 * Each writer is a container of its own (its own store and handlers), as concurrent Lambdas are.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogueInlineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 16;

    private static EventTable events;
    private static ReadTable views;

    @BeforeAll
    static void createTables() {
        events = new EventTable("catalogue-" + UUID.randomUUID());
        views = new ReadTable("catalogue-views-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(events);
        LocalDynamo.shared().createTable(views.createTableRequest());
    }

    private static DynamoDbEventStore store() {
        return new DynamoDbEventStore(LocalDynamo.shared().client(), events, views, StoreLimits.defaults(), Clock.systemUTC());
    }

    private static CommandFunction commandContainer() {
        return new CommandFunction(store(), Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
    }

    private static QueryFunction queryContainer() {
        return new QueryFunction(LocalDynamo.shared().client(), QuerySettings.of(views, events), ViewCache.none(), Clock.systemUTC());
    }

    /**
     * Sends the create again while it answers version-conflict, as its problem says is safe: on
     * DynamoDB 16 claims of one value at once cancel each other's transactions (TransactionConflict)
     * for longer than a command's bounded attempts, so some first answers are that.
     */
    private static APIGatewayV2HTTPResponse createRetriedWhileContended(CommandFunction container, String productId, String sku) {
        APIGatewayV2HTTPResponse answer = create(container, productId, sku, 5);
        for (int resent = 0; resent < 20 && answer.getBody().contains("/problems/version-conflict"); resent++) {
            answer = create(container, productId, sku, 5);
        }
        return answer;
    }

    private static APIGatewayV2HTTPResponse create(CommandFunction container, String productId, String sku, int stock) {
        return container.handleRequest(HttpApiEvents.post("/products").json("""
                {"productId": "%s", "sku": "%s", "name": "Kettle", "stock": %d}""".formatted(productId, sku, stock)).event(), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    @Test
    void a_read_right_after_each_answer_shows_what_the_command_did() throws Exception {
        String product = "p-" + UUID.randomUUID();
        CommandFunction commands = commandContainer();
        QueryFunction queries = queryContainer();

        APIGatewayV2HTTPResponse created = create(commands, product, "K-" + UUID.randomUUID().toString().substring(0, 8), 10);
        JsonNode afterCreate = json(queries.handleRequest(HttpApiEvents.request("GET", "/products/" + product).event(), null));
        APIGatewayV2HTTPResponse reserved = commandContainer().handleRequest(HttpApiEvents.post("/products/" + product + "/reservations")
                .json("{\"reservationId\": \"r-1\", \"quantity\": 4}").event(), null);
        JsonNode afterReserve = json(queries.handleRequest(HttpApiEvents.request("GET", "/products/" + product).event(), null));

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        assertThat(afterCreate.get("version").asLong()).isEqualTo(1);
        assertThat(afterCreate.get("available").asInt()).isEqualTo(10);
        assertThat(reserved.getStatusCode()).as(reserved.getBody()).isEqualTo(200);
        assertThat(afterReserve.get("version").asLong()).as("a second container, cold, folded onto the row").isEqualTo(2);
        assertThat(afterReserve.get("available").asInt()).isEqualTo(6);
        assertThat(store().inlineView(ProductView.MODEL, Products.TYPE.streamId(product)))
                .as("the row is the fold of the stream, as the projector or a rebuild would write it")
                .contains(ProductView.MODEL.projection().replay(null, store().load(Products.TYPE.streamId(product)), Products.EVENTS));
    }

    @Test
    void of_16_writers_creating_products_with_one_sku_exactly_one_succeeds_and_the_others_get_409_naming_it() throws Exception {
        String sku = "RACE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        List<String> products = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            products.add("p-race-" + UUID.randomUUID());
        }
        List<APIGatewayV2HTTPResponse> answers = new ArrayList<>();
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<APIGatewayV2HTTPResponse>> sent = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                CommandFunction container = commandContainer();
                // Letters of either case: a SKU is unique whatever its case.
                String spelled = i % 2 == 0 ? sku : sku.toLowerCase(Locale.ROOT);
                String product = products.get(i);
                sent.add(writers.submit(() -> {
                    start.await();
                    return createRetriedWhileContended(container, product, spelled);
                }));
            }
            start.countDown();
            for (Future<APIGatewayV2HTTPResponse> answer : sent) {
                answers.add(answer.get());
            }
        }

        assertThat(answers).filteredOn(answer -> answer.getStatusCode() == 201).hasSize(1);
        List<APIGatewayV2HTTPResponse> refused = answers.stream().filter(answer -> answer.getStatusCode() != 201).toList();
        assertThat(refused).hasSize(WRITERS - 1).allSatisfy(answer -> {
            assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(409);
            assertThat(answer.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            JsonNode problem = json(answer);
            assertThat(problem.get("type").asText()).isEqualTo("https://factline.dev/problems/unique-value-taken");
            assertThat(problem.get("code").asText()).isEqualTo("sku-taken");
            assertThat(problem.get("detail").asText()).contains("sku '" + sku + "' is taken by another product");
        });
        assertThat(products).as("streams with events").filteredOn(product -> !store().load(Products.TYPE.streamId(product)).isEmpty()).hasSize(1);
        assertThat(products).as("product rows")
                .filteredOn(product -> store().inlineView(ProductView.MODEL, Products.TYPE.streamId(product)).isPresent()).hasSize(1);
    }

    @Test
    void a_reservation_beyond_the_stock_is_422_and_leaves_the_stream_and_its_row_as_they_were() throws Exception {
        String product = "p-" + UUID.randomUUID();
        CommandFunction commands = commandContainer();
        create(commands, product, "OVER-" + UUID.randomUUID().toString().substring(0, 8), 3);

        APIGatewayV2HTTPResponse refused = commands.handleRequest(HttpApiEvents.post("/products/" + product + "/reservations")
                .json("{\"reservationId\": \"r-1\", \"quantity\": 4}").event(), null);

        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(422);
        assertThat(json(refused).get("code").asText()).isEqualTo("insufficient-stock");
        assertThat(store().load(Products.TYPE.streamId(product))).hasSize(1);
        assertThat(store().inlineView(ProductView.MODEL, Products.TYPE.streamId(product))).hasValueSatisfying(view -> {
            assertThat(view.version()).isEqualTo(1);
            assertThat(view.reserved()).isZero();
        });
    }
}
