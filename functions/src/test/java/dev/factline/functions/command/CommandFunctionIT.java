package dev.factline.functions.command;

import static dev.factline.functions.command.FunctionUnderTest.json;
import static dev.factline.functions.command.LocalDeployment.send;
import static dev.factline.functions.http.HttpApiEvents.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.HttpApiEvents;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The command function over the DynamoDB store on a real (dynalite) server, through HTTP API
 * events as Lambda delivers them: what the unit tests show on the in-memory store, shown again
 * where conditional writes, consistent reads and idempotency claims are DynamoDB's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionIT {

    private static final String PROBLEMS = "https://factline.dev/problems/";
    /** The commit item's attribute naming the idempotency key it was written under (docs/event-store.md, the event table). */
    private static final String COMMIT_KEY_ATTRIBUTE = "idempotencyKey";

    /** Shared by the tests below but the corpus; each uses streams and keys of its own. */
    private static LocalDeployment deployment;

    @BeforeAll
    static void createTable() {
        deployment = LocalDeployment.withNewTable("commands");
    }

    /** {@link BadRequestCorpusTest}'s rows, every one, on a table of their own whose items are counted around each. */
    @Nested
    class The_bad_request_corpus {

        private static LocalDeployment corpusTable;
        private static CommandFunction container;
        private static long itemsBeforeTheCorpus;

        @BeforeAll
        static void the_streams_the_corpus_needs_exist_before_counting() {
            corpusTable = LocalDeployment.withNewTable("corpus");
            container = corpusTable.newContainer();
            List<HttpApiEvents.Request> needed = BadRequestCorpusTest.streamsTheCorpusNeeds();
            for (HttpApiEvents.Request request : needed) {
                APIGatewayV2HTTPResponse response = send(container, request);
                assertThat(response.getStatusCode()).as("%s: %s", request, response.getBody()).isEqualTo(201);
            }
            itemsBeforeTheCorpus = corpusTable.itemCount();
            assertThat(itemsBeforeTheCorpus).as("one commit per stream the corpus needs").isEqualTo(needed.size());
        }

        @ParameterizedTest
        @MethodSource("dev.factline.functions.command.BadRequestCorpusTest#corpus")
        void a_bad_request_is_refused_with_its_problem_and_leaves_the_event_table_as_it_was(
                HttpApiEvents.Request request, int status, String slug) {
            APIGatewayV2HTTPResponse response = send(container, request);

            BadRequestCorpusTest.assertRefusedWith(response, status, slug);
            assertThat(corpusTable.itemCount()).as("items in the event table").isEqualTo(itemsBeforeTheCorpus);
        }
    }

    @Nested
    class Idempotency_keys {

        private final CommandFunction container = deployment.newContainer();
        private final String accountId = "a-" + UUID.randomUUID();
        private final StreamId account = StreamId.of("account", accountId);
        private final String key = "key-" + UUID.randomUUID();

        @Test
        void the_same_key_twice_gets_the_same_answer_byte_for_byte_and_commits_once() {
            assertThat(send(container, openAccount(accountId)).getStatusCode()).isEqualTo(201);
            HttpApiEvents.Request once = deposit(accountId, 700).header("Idempotency-Key", key);

            APIGatewayV2HTTPResponse first = send(container, once);
            APIGatewayV2HTTPResponse repeat = send(container, once);

            assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
            assertThat(repeat.getStatusCode()).isEqualTo(first.getStatusCode());
            assertThat(repeat.getBody()).isEqualTo(first.getBody());
            assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
            assertThat(repeat.getHeaders()).containsEntry("Idempotent-Replayed", "true")
                    .containsEntry("ETag", first.getHeaders().get("ETag"));
            List<Map<String, AttributeValue>> commits = deployment.commitItems(account);
            assertThat(commits).filteredOn(carrying(key)).as("commits under the key").hasSize(1);
            assertThat(commits).as("the opening and the one deposit").hasSize(2);
        }

        @Test
        void a_repeat_reaching_another_container_after_the_stream_moved_on_gets_the_original_answer() {
            send(container, openAccount(accountId));
            HttpApiEvents.Request once = deposit(accountId, 700).header("Idempotency-Key", key);
            APIGatewayV2HTTPResponse first = send(container, once);
            assertThat(send(container, deposit(accountId, 5)).getStatusCode()).isEqualTo(200);

            APIGatewayV2HTTPResponse repeat = send(deployment.newContainer(), once);

            assertThat(repeat.getStatusCode()).as(repeat.getBody()).isEqualTo(200);
            assertThat(repeat.getBody()).isEqualTo(first.getBody());
            assertThat(repeat.getHeaders()).containsEntry("Idempotent-Replayed", "true").containsEntry("ETag", "\"2\"");
            assertThat(deployment.commitItems(account)).hasSize(3).filteredOn(carrying(key)).hasSize(1);
        }

        @Test
        void the_same_key_with_another_body_is_refused_as_reused_and_writes_nothing() {
            send(container, openAccount(accountId));
            assertThat(send(container, deposit(accountId, 700).header("Idempotency-Key", key)).getStatusCode()).isEqualTo(200);

            APIGatewayV2HTTPResponse reused = send(container, deposit(accountId, 800).header("Idempotency-Key", key));

            assertProblem(reused, 422, "idempotency-key-reused");
            assertThat(deployment.commitItems(account)).hasSize(2);
        }

        @Test
        void a_retried_open_without_an_account_id_under_one_key_answers_the_same_201_and_location() {
            HttpApiEvents.Request open = post("/accounts").header("Idempotency-Key", key)
                    .json("{\"ownerId\": \"owner-7\", \"currency\": \"EUR\"}");

            APIGatewayV2HTTPResponse first = send(container, open);
            APIGatewayV2HTTPResponse retry = send(container, open);
            APIGatewayV2HTTPResponse retryElsewhere = send(deployment.newContainer(), open);

            assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(201);
            StreamId opened = StreamId.parse(json(first).get("streamId").asText());
            assertThat(first.getHeaders()).containsEntry("Location", "/accounts/" + opened.id());
            for (APIGatewayV2HTTPResponse again : List.of(retry, retryElsewhere)) {
                assertThat(again.getStatusCode()).as(again.getBody()).isEqualTo(201);
                assertThat(again.getBody()).isEqualTo(first.getBody());
                assertThat(again.getHeaders()).containsEntry("Location", first.getHeaders().get("Location"))
                        .containsEntry("Idempotent-Replayed", "true");
            }
            assertThat(deployment.commitItems(opened)).singleElement().matches(carrying(key), "carries the key");
        }
    }

    @Nested
    class A_journey {

        private final CommandFunction container = deployment.newContainer();
        private final String accountId = "a-" + UUID.randomUUID();
        private final String orderId = "o-" + UUID.randomUUID();

        @Test
        void an_account_is_opened_funded_and_drawn_on_and_refuses_an_overdraft_and_a_stale_pin() {
            APIGatewayV2HTTPResponse opened = send(container, openAccount(accountId));
            APIGatewayV2HTTPResponse deposited = send(container, deposit(accountId, 10_000));
            APIGatewayV2HTTPResponse withdrawn = send(container, withdrawal(accountId, 2_500));
            APIGatewayV2HTTPResponse overdrawn = send(container, withdrawal(accountId, 7_501));
            APIGatewayV2HTTPResponse stale = send(container, deposit(accountId, 100).header("If-Match", "\"2\""));

            assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);
            assertThat(opened.getHeaders()).containsEntry("ETag", "\"1\"").containsEntry("Location", "/accounts/" + accountId);
            assertAnswered(deposited, 200, 2, "MoneyDeposited");
            assertAnswered(withdrawn, 200, 3, "MoneyWithdrawn");
            assertThat(assertProblem(overdrawn, 422, "rules/insufficient-funds").get("code").asText()).isEqualTo("insufficient-funds");
            assertProblem(stale, 412, "precondition-failed");
            assertThat(deployment.store().load(StreamId.of("account", accountId))).extracting(RecordedEvent::type)
                    .containsExactly("AccountOpened", "MoneyDeposited", "MoneyWithdrawn");
        }

        @Test
        void an_order_is_placed_paid_and_shipped_and_then_cannot_be_cancelled() {
            send(container, openAccount(accountId));

            APIGatewayV2HTTPResponse placed = send(container, placeOrder(orderId, accountId));
            APIGatewayV2HTTPResponse paid = send(container, payment(orderId, 2_500));
            APIGatewayV2HTTPResponse shipped = send(container, post("/orders/" + orderId + "/shipment"));
            APIGatewayV2HTTPResponse cancelled = send(container, cancellation(orderId));

            assertThat(placed.getStatusCode()).as(placed.getBody()).isEqualTo(201);
            assertThat(placed.getHeaders()).containsEntry("ETag", "\"1\"").containsEntry("Location", "/orders/" + orderId);
            assertThat(json(placed).at("/events/0/data/total")).isEqualTo(json("{\"minorUnits\":2500,\"currency\":\"EUR\"}"));
            assertAnswered(paid, 200, 2, "OrderPaid");
            assertAnswered(shipped, 200, 3, "OrderShipped");
            assertProblem(cancelled, 422, "rules/order-shipped");
            assertThat(deployment.store().load(StreamId.of("order", orderId))).extracting(RecordedEvent::type)
                    .containsExactly("OrderPlaced", "OrderPaid", "OrderShipped");
        }

        @Test
        void a_second_container_on_the_same_table_sees_the_first_ones_writes() {
            CommandFunction second = deployment.newContainer();
            send(container, openAccount(accountId));
            send(container, deposit(accountId, 1_000));
            send(container, placeOrder(orderId, accountId));
            send(container, payment(orderId, 2_500));

            // The second container decides on what the first wrote: the version, the balance, the paid order.
            assertAnswered(send(second, withdrawal(accountId, 400).header("If-Match", "\"2\"")), 200, 3, "MoneyWithdrawn");
            assertProblem(send(second, withdrawal(accountId, 700)), 422, "rules/insufficient-funds");
            assertAnswered(send(second, post("/orders/" + orderId + "/shipment")), 200, 3, "OrderShipped");

            // The first container remembers versions the second has since moved past: a guess, corrected on conflict.
            assertAnswered(send(container, deposit(accountId, 50)), 200, 4, "MoneyDeposited");
            assertProblem(send(container, cancellation(orderId)), 422, "rules/order-shipped");
            assertThat(deployment.store().load(StreamId.of("account", accountId))).extracting(RecordedEvent::type)
                    .containsExactly("AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "MoneyDeposited");
            assertThat(deployment.store().load(StreamId.of("order", orderId))).extracting(RecordedEvent::type)
                    .containsExactly("OrderPlaced", "OrderPaid", "OrderShipped");
        }
    }

    private static Predicate<Map<String, AttributeValue>> carrying(String key) {
        return commit -> commit.containsKey(COMMIT_KEY_ATTRIBUTE) && key.equals(commit.get(COMMIT_KEY_ATTRIBUTE).s());
    }

    private static void assertAnswered(APIGatewayV2HTTPResponse response, int status, long version, String eventType) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("ETag", "\"" + version + "\"");
        JsonNode body = json(response);
        assertThat(body.get("version").asLong()).isEqualTo(version);
        assertThat(body.get("events")).singleElement().satisfies(event -> {
            assertThat(event.get("type").asText()).isEqualTo(eventType);
            assertThat(event.get("version").asLong()).isEqualTo(version);
        });
    }

    private static JsonNode assertProblem(APIGatewayV2HTTPResponse response, int status, String slug) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(PROBLEMS + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        return problem;
    }

    private static HttpApiEvents.Request openAccount(String id) {
        return post("/accounts").json("""
                {"accountId": "%s", "ownerId": "owner-1", "currency": "EUR"}""".formatted(id));
    }

    private static HttpApiEvents.Request deposit(String accountId, long minorUnits) {
        return post("/accounts/" + accountId + "/deposits").json(amount(minorUnits));
    }

    private static HttpApiEvents.Request withdrawal(String accountId, long minorUnits) {
        return post("/accounts/" + accountId + "/withdrawals").json(amount(minorUnits));
    }

    private static HttpApiEvents.Request payment(String orderId, long minorUnits) {
        return post("/orders/" + orderId + "/payment").json(amount(minorUnits));
    }

    private static HttpApiEvents.Request cancellation(String orderId) {
        return post("/orders/" + orderId + "/cancellation").json("{\"reason\": \"changed my mind\"}");
    }

    private static String amount(long minorUnits) {
        return """
                {"amount": {"minorUnits": %d, "currency": "EUR"}}""".formatted(minorUnits);
    }

    private static HttpApiEvents.Request placeOrder(String orderId, String accountId) {
        return post("/orders").json("""
                {"orderId": "%s", "customerId": "c-1", "accountId": "%s", "currency": "EUR",
                 "lines": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": {"minorUnits": 1000, "currency": "EUR"}},
                           {"sku": "PEN-2", "quantity": 1, "unitPrice": {"minorUnits": 500, "currency": "EUR"}}]}"""
                .formatted(orderId, accountId));
    }
}
