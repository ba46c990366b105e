package dev.factline.local;

import static dev.factline.local.FactlineApi.call;
import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static dev.factline.local.FactlineApi.postRaw;
import static dev.factline.local.FactlineApi.sendRaw;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.localstack.docker.annotation.LocalstackDockerProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.functions.testing.MotoGaps;
import dev.factline.functions.topology.ApiRoute;
import dev.factline.functions.topology.Topology;
import dev.factline.local.FactlineApi.Answer;
import dev.factline.local.FactlineApi.RawAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A user's journey through the HTTP API, and nothing but the HTTP API: against the embedded
 * pipeline by default, or any deployment named by {@code FACTLINE_API_URL}. Every test uses ids of
 * its own, so the suite can run against a pipeline that holds other data. Under
 * {@code -Plocalstack} it runs against LocalStack, which LocalStack's JUnit extension starts as the
 * annotation below describes, with the CDK app deployed to it, and is skipped with the reason when
 * there is no Docker engine ({@link LocalStackTarget}).
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
@ExtendWith({LocalStackTarget.class, MotoGaps.class})
@LocalstackDockerProperties(imageTag = LocalStackTarget.IMAGE_TAG, services = LocalStackTarget.SERVICES, useSingleDockerContainer = true,
        environmentVariableProvider = LocalStackTarget.Environment.class, bindMountProvider = LocalStackTarget.DockerSocket.class)
class JourneyAcceptanceIT {

    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private static final String PROBLEM = "application/problem+json";

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static String money(long minorUnits) {
        return "{\"minorUnits\":" + minorUnits + ",\"currency\":\"EUR\"}";
    }

    private static String openAccount() {
        String account = id("a");
        Answer opened = post("/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"alice\",\"currency\":\"EUR\"}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(opened.header("location")).contains("/accounts/" + account);
        return account;
    }

    private static Answer deposit(String account, long minorUnits, String... headers) {
        return post("/accounts/" + account + "/deposits", "{\"amount\":" + money(minorUnits) + "}", headers);
    }

    private static String placeOrder(String account, long unitPrice, int quantity) {
        String order = id("o");
        Answer placed = post("/orders", "{\"orderId\":\"" + order + "\",\"customerId\":\"alice\",\"accountId\":\"" + account
                + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"book\",\"quantity\":" + quantity + ",\"unitPrice\":" + money(unitPrice) + "}]}");
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        return order;
    }

    private static void assertProblem(Answer answer, int status, String typeEnding) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM));
        assertThat(answer.json().path("type").asText()).endsWith(typeEnding);
        assertThat(answer.json().path("status").asInt()).isEqualTo(status);
    }

    @Nested
    class Catalogue {

        private static Answer createProduct(String product, String sku, int stock) {
            return post("/products", "{\"productId\":\"" + product + "\",\"sku\":\"" + sku + "\",\"name\":\"Kettle\",\"stock\":" + stock + "}");
        }

        private static Answer reserve(String product, String reservation, int quantity) {
            return post("/products/" + product + "/reservations", "{\"reservationId\":\"" + reservation + "\",\"quantity\":" + quantity + "}");
        }

        @Test
        void a_product_is_read_right_after_each_answer_without_asking_for_a_version() {
            String product = id("p");

            Answer created = createProduct(product, id("K"), 10);
            Answer afterCreate = get("/products/" + product);
            Answer reserved = reserve(product, "r-1", 4);
            Answer afterReserve = get("/products/" + product);

            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(afterCreate.status()).as("the view was written with the commit: %s", afterCreate).isEqualTo(200);
            assertThat(afterCreate.json().path("available").asInt()).isEqualTo(10);
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(200);
            assertThat(afterReserve.json().path("version").asLong()).isEqualTo(2);
            assertThat(afterReserve.json().path("reserved").asInt()).isEqualTo(4);
            assertThat(afterReserve.json().path("available").asInt()).isEqualTo(6);
        }

        @Test
        void a_reservation_beyond_the_stock_left_is_422_and_the_product_stays_as_it_was() {
            String product = id("p");
            createProduct(product, id("K"), 3);

            Answer refused = reserve(product, "r-1", 4);

            assertProblem(refused, 422, "rules/insufficient-stock");
            Answer read = get("/products/" + product);
            assertThat(read.json().path("version").asLong()).isEqualTo(1);
            assertThat(read.json().path("available").asInt()).isEqualTo(3);
            assertThat(get("/products/" + product + "/events").json().path("events")).hasSize(1);
        }

        @Test
        void of_16_clients_creating_products_with_one_sku_at_once_exactly_one_gets_it_and_the_others_409_naming_it() throws Exception {
            String sku = id("RACE").toUpperCase(Locale.ROOT);
            List<String> products = IntStream.range(0, 16).mapToObj(i -> id("p")).toList();
            List<Answer> answers;
            try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Answer>> sent = products.stream().map(product -> clients.submit(() -> {
                    start.await();
                    return createProduct(product, sku, 5);
                })).toList();
                start.countDown();
                answers = new ArrayList<>();
                for (Future<Answer> answer : sent) {
                    answers.add(answer.get());
                }
            }

            assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
            assertThat(answers).filteredOn(answer -> answer.status() != 201).hasSize(15).allSatisfy(answer -> {
                assertProblem(answer, 409, "/unique-value-taken");
                assertThat(answer.json().path("code").asText()).isEqualTo("sku-taken");
                assertThat(answer.json().path("detail").asText()).contains(sku);
            });
            assertThat(products).as("products that exist").filteredOn(product -> get("/products/" + product).status() == 200).hasSize(1);
            assertThat(products).as("histories written").filteredOn(product -> get("/products/" + product + "/events").status() == 200).hasSize(1);
        }
    }

    @Nested
    class Accounts {

        @Test
        void an_opened_account_takes_a_deposit_and_reads_it_back_at_once_with_min_version() {
            String account = openAccount();

            Answer deposited = deposit(account, 1_000);

            assertThat(deposited.status()).as(deposited.toString()).isEqualTo(200);
            assertThat(deposited.header("etag")).contains("\"2\"");
            Answer read = get("/accounts/" + account + "?minVersion=2");
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().path("balance").path("minorUnits").asLong()).isEqualTo(1_000);
            assertThat(read.json().path("version").asLong()).isEqualTo(2);
        }

        @Test
        void an_overdraft_is_refused_with_422_and_the_rule() {
            String account = openAccount();
            deposit(account, 500);

            Answer refused = post("/accounts/" + account + "/withdrawals", "{\"amount\":" + money(501) + "}");

            assertProblem(refused, 422, "rules/insufficient-funds");
        }

        @Test
        void a_retry_with_the_same_idempotency_key_is_answered_with_the_original() {
            String account = openAccount();
            String key = UUID.randomUUID().toString();

            Answer first = deposit(account, 700, "Idempotency-Key", key);
            Answer retry = deposit(account, 700, "Idempotency-Key", key);

            assertThat(first.status()).isEqualTo(200);
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(retry.header("idempotent-replayed")).contains("true");
            Answer read = get("/accounts/" + account + "?consistent=true");
            assertThat(read.json().path("balance").path("minorUnits").asLong()).isEqualTo(700);
        }

        @Test
        void if_match_on_a_version_the_account_has_left_is_412() {
            String account = openAccount();
            deposit(account, 100);

            Answer stale = deposit(account, 100, "If-Match", "\"1\"");

            assertProblem(stale, 412, "precondition-failed");
        }

        @Test
        void the_view_converges_without_asking_for_a_version() {
            String account = openAccount();
            deposit(account, 250);
            deposit(account, 250);

            Answer converged = eventually(CONVERGENCE, () -> get("/accounts/" + account),
                    answer -> answer.status() == 200 && answer.json().path("version").asLong() == 3);

            assertThat(converged.json().path("balance").path("minorUnits").asLong()).isEqualTo(500);
        }

        @Test
        void the_audit_history_lists_every_event_in_order() {
            String account = openAccount();
            deposit(account, 100);
            deposit(account, 200);

            Answer history = get("/accounts/" + account + "/events");

            assertThat(history.status()).as(history.toString()).isEqualTo(200);
            assertThat(history.json().path("events")).extracting(event -> event.path("type").asText())
                    .containsExactly("AccountOpened", "MoneyDeposited", "MoneyDeposited");
            assertThat(history.json().path("events")).extracting(event -> event.path("version").asLong()).containsExactly(1L, 2L, 3L);
        }

        @Test
        void an_as_of_read_shows_the_account_as_it_was() {
            String account = openAccount();
            deposit(account, 100);
            Instant between = Instant.now();
            deposit(account, 900);

            Answer then = get("/accounts/" + account + "?asOf=" + between);

            assertThat(then.status()).as(then.toString()).isEqualTo(200);
            assertThat(then.json().path("balance").path("minorUnits").asLong()).isEqualTo(100);
            assertThat(then.json().path("version").asLong()).isEqualTo(2);
        }
    }

    @Nested
    class Orders {

        @Test
        void an_order_the_account_can_pay_is_paid_by_the_saga_then_ships_and_cannot_be_cancelled() {
            String account = openAccount();
            deposit(account, 10_000);
            String order = placeOrder(account, 1_250, 2);

            Answer paid = eventually(CONVERGENCE, () -> get("/orders/" + order),
                    answer -> answer.status() == 200 && answer.json().path("status").asText().equals("PAID"));
            Answer debited = eventually(CONVERGENCE, () -> get("/accounts/" + account),
                    answer -> answer.status() == 200 && answer.json().path("balance").path("minorUnits").asLong() == 7_500);

            assertThat(paid.json().path("version").asLong()).isEqualTo(2);
            assertThat(debited.json().path("balance").path("minorUnits").asLong()).isEqualTo(7_500);
            Answer shipped = post("/orders/" + order + "/shipment", "{}");
            assertThat(shipped.status()).as(shipped.toString()).isEqualTo(200);
            assertProblem(post("/orders/" + order + "/cancellation", "{\"reason\":\"too late\"}"), 422, "rules/order-shipped");
            Answer view = get("/orders/" + order + "?minVersion=3");
            assertThat(view.json().path("status").asText()).isEqualTo("SHIPPED");
        }

        @Test
        void an_order_the_account_cannot_pay_is_cancelled_by_the_saga_for_lack_of_funds() {
            String account = openAccount();
            deposit(account, 1_000);
            String order = placeOrder(account, 1_250, 2);

            Answer cancelled = eventually(CONVERGENCE, () -> get("/orders/" + order),
                    answer -> answer.status() == 200 && answer.json().path("status").asText().equals("CANCELLED"));

            assertThat(cancelled.json().path("cancellationReason").asText()).isEqualTo("payment declined: insufficient funds");
            assertThat(cancelled.json().path("refund").isNull()).isTrue();
            assertThat(get("/accounts/" + account + "?consistent=true").json().path("balance").path("minorUnits").asLong()).isEqualTo(1_000);
            assertProblem(post("/orders/" + order + "/shipment", "{}"), 422, "rules/order-cancelled");
        }

        @Test
        void an_order_its_customer_cancels_gets_its_money_back_whether_the_saga_had_paid_it_or_not() {
            String account = openAccount();
            deposit(account, 1_000);
            String order = placeOrder(account, 300, 1);

            Answer cancelled = post("/orders/" + order + "/cancellation", "{\"reason\":\"changed my mind\"}");

            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
            assertProblem(post("/orders/" + order + "/shipment", "{}"), 422, "rules/order-cancelled");
            // Paid first: the cancellation carries a refund. Not yet: the debit that follows is given back.
            Answer history = eventually(CONVERGENCE, () -> get("/accounts/" + account + "/events"),
                    answer -> answer.status() == 200 && answer.body().contains("AccountRefunded"));
            assertThat(history.body()).contains("AccountDebited");
            Answer balance = eventually(CONVERGENCE, () -> get("/accounts/" + account + "?consistent=true"),
                    answer -> answer.json().path("balance").path("minorUnits").asLong() == 1_000);
            assertThat(balance.json().path("balance").path("minorUnits").asLong()).isEqualTo(1_000);
            assertThat(get("/orders/" + order + "?consistent=true").json().path("cancellationReason").asText()).isEqualTo("changed my mind");
        }

        @Test
        void the_dashboard_converges_to_count_a_new_order() {
            // Counted over every status: the saga moves the order on (here to CANCELLED, the account being empty).
            String account = openAccount();
            long before = ordersCounted(get("/dashboard").json());
            placeOrder(account, 100, 1);

            JsonNode after = eventually(CONVERGENCE, () -> get("/dashboard"), answer -> ordersCounted(answer.json()) > before).json();

            assertThat(ordersCounted(after)).isGreaterThan(before);
        }

        private static long ordersCounted(JsonNode dashboard) {
            long orders = 0;
            for (JsonNode status : dashboard.path("statuses")) {
                orders += status.path("orders").asLong();
            }
            return orders;
        }

        @Test
        void a_customers_orders_list_converges() {
            String account = openAccount();
            String customer = id("c");
            String order = id("o");
            Answer placed = post("/orders", "{\"orderId\":\"" + order + "\",\"customerId\":\"" + customer + "\",\"accountId\":\"" + account
                    + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"pen\",\"quantity\":1,\"unitPrice\":" + money(100) + "}]}");
            assertThat(placed.status()).isEqualTo(201);

            Answer list = eventually(CONVERGENCE, () -> get("/customers/" + customer + "/orders"),
                    answer -> answer.status() == 200 && answer.body().contains(order));

            assertThat(list.body()).contains(order);
        }
    }

    @Nested
    class Bad_inputs_are_problems {

        @Test
        void malformed_json_is_400() {
            assertProblem(post("/accounts", "{\"ownerId\":"), 400, "invalid-request");
        }

        @Test
        void an_unknown_field_is_400() {
            assertProblem(post("/accounts", "{\"ownerId\":\"bob\",\"currency\":\"EUR\",\"colour\":\"red\"}"), 400, "invalid-request");
        }

        @Test
        void a_negative_amount_is_400() {
            String account = openAccount();
            assertProblem(post("/accounts/" + account + "/deposits", "{\"amount\":{\"minorUnits\":-5,\"currency\":\"EUR\"}}"), 400,
                    "invalid-request");
        }

        @Test
        void a_body_that_is_not_json_is_415() {
            assertProblem(postRaw("/accounts", "text/plain", "hello"), 415, "unsupported-media-type");
        }

        @Test
        void a_deposit_to_an_account_never_opened_is_404() {
            assertProblem(deposit(id("never"), 100), 404, "not-found");
        }

        @Test
        void past_and_present_selectors_together_are_400() {
            String account = openAccount();
            assertProblem(get("/accounts/" + account + "?asOf=2024-01-01T00:00:00Z&minVersion=1"), 400, "invalid-request");
        }

        @Test
        void a_put_delete_patch_options_or_trace_on_a_command_path_is_405_with_allow_not_404() {
            // The SDK's signer knows no TRACE (SdkHttpMethod has none), so a signed run cannot send one.
            List<String> methods = FactlineApi.signs() ? List.of("PUT", "DELETE", "PATCH", "OPTIONS") : List.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");
            for (String path : pathsOf(Topology.COMMAND)) {
                for (String method : methods) {
                    if (!method.equals(allowedOn(path))) {
                        assertMethodNotAllowed(call(method, path), allowedOn(path));
                    }
                }
            }
        }

        @Test
        void a_get_on_a_command_path_is_405_with_allow_not_404() {
            for (String path : pathsOf(Topology.COMMAND)) {
                assertMethodNotAllowed(get(path), allowedOn(path));
            }
        }

        @Test
        void a_head_on_a_command_path_is_405_with_allow_and_no_body() {
            Answer head = call("HEAD", "/accounts/" + id("a") + "/deposits");

            assertThat(head.status()).as(head.toString()).isEqualTo(405);
            assertThat(head.header("allow")).contains("POST");
            assertThat(head.body()).isEmpty();
        }

        @Test
        void a_post_or_delete_on_a_query_path_is_405_allowing_get_and_head_not_404() {
            for (String path : pathsOf(Topology.QUERY)) {
                assertMethodNotAllowed(post(path, "{}"), "GET, HEAD");
                assertMethodNotAllowed(call("DELETE", path), "GET, HEAD");
            }
        }

        /** The paths of the routes to {@code function}, with an id of this run in each {@code {id}}. */
        private static List<String> pathsOf(String function) {
            return Topology.standard("any").routesTo(function).stream().map(ApiRoute::path).distinct()
                    .map(path -> path.replace("{id}", id("x"))).toList();
        }

        /** What a command path allows: POST, but DELETE where a subject is forgotten. */
        private static String allowedOn(String path) {
            return path.endsWith("/personal-data") ? "DELETE" : "POST";
        }

        private static void assertMethodNotAllowed(Answer answer, String allow) {
            assertProblem(answer, 405, "method-not-allowed");
            assertThat(answer.header("allow")).as(answer.toString()).contains(allow);
        }

        @Test
        void a_raw_nul_in_the_path_is_a_json_400_not_an_html_page() {
            assertBadRequest(sendRaw("GET", ("/accounts/" + id("a") + "\0").getBytes(ISO_8859_1)));
        }

        @Test
        void a_raw_non_ascii_byte_in_the_path_is_a_json_400_not_an_html_page() {
            // The bytes of U+20AC include 0x82, which java.net.URI refused; those of U+00E9 it let through to the function.
            for (String character : List.of("\u20ac", "\u00e9")) {
                assertBadRequest(sendRaw("GET", ("/accounts/" + character).getBytes(UTF_8)));
            }
        }

        @Test
        void a_stray_percent_in_the_query_is_a_json_400_not_an_html_page() {
            assertBadRequest(sendRaw("GET", ("/accounts/" + id("a") + "/events?after=%%%").getBytes(ISO_8859_1)));
        }

        /** API Gateway's own answer to a request it cannot read: no function sees it. */
        private static void assertBadRequest(RawAnswer answer) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.headers().get("content-type")).as(answer.toString()).startsWith("application/json");
            assertThat(answer.body()).isEqualTo("{\"message\":\"Bad Request\"}");
        }

        @Test
        void a_route_the_api_does_not_have_is_404_as_api_gateway_answers() {
            Answer missing = get("/no-such-route");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().path("message").asText()).isEqualTo("Not Found");
        }
    }
}
