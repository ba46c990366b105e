package dev.factline.functions.command;

import dev.factline.account.Accounts;
import static dev.factline.functions.command.FunctionUnderTest.json;
import static dev.factline.functions.http.HttpApiEvents.post;
import static dev.factline.functions.http.HttpApiEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.AppendTooLargeException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.ForwardingEventStore;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.InlineWrite;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.VersionConflictException;
import dev.factline.functions.http.HttpApiEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandFunctionTest {

    private static final String PROBLEMS = "https://factline.dev/problems/";
    private static final StreamId ACCOUNT = StreamId.of("account", "a-1");
    private static final StreamId ORDER = StreamId.of("order", "o-1");

    private final FunctionUnderTest under = new FunctionUnderTest();

    @Nested
    class Opening_accounts {

        @Test
        void an_account_opened_under_its_own_id_is_created_at_its_location() {
            APIGatewayV2HTTPResponse response = under.send(openAccount("a-1"));

            assertThat(response.getStatusCode()).isEqualTo(201);
            assertThat(response.getHeaders())
                    .containsEntry("Content-Type", "application/json")
                    .containsEntry("Location", "/accounts/a-1")
                    .containsEntry("ETag", "\"1\"")
                    .doesNotContainKey("Idempotent-Replayed");
            JsonNode body = json(response);
            assertThat(body.get("streamId").asText()).isEqualTo("account#a-1");
            assertThat(body.get("version").asLong()).isEqualTo(1);
            assertThat(body.get("events")).hasSize(1);
            JsonNode event = body.get("events").get(0);
            assertThat(fieldNames(event)).containsExactly("eventId", "version", "type", "schemaVersion", "occurredAt", "data");
            assertThat(event.get("type").asText()).isEqualTo("AccountOpened");
            assertThat(event.get("version").asLong()).isEqualTo(1);
            assertThat(event.get("schemaVersion").asInt()).isEqualTo(Accounts.ACCOUNT_OPENED_SCHEMA_VERSION);
            assertThat(event.get("occurredAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
            assertThat(event.get("data")).isEqualTo(json("{\"ownerId\":\"owner-1\",\"currency\":\"EUR\",\"holderName\":null,\"holderEmail\":null}"));

            List<RecordedEvent> stored = under.events.load(ACCOUNT);
            assertThat(stored).singleElement().satisfies(recorded -> {
                assertThat(recorded.eventId().toString()).isEqualTo(event.get("eventId").asText());
                assertThat(recorded.type()).isEqualTo("AccountOpened");
            });
        }

        @Test
        void an_account_without_an_id_is_given_one() {
            APIGatewayV2HTTPResponse response = under.send(post("/accounts").json("{\"ownerId\": \"owner-1\", \"currency\": \"EUR\"}"));

            assertThat(response.getStatusCode()).isEqualTo(201);
            String streamId = json(response).get("streamId").asText();
            String id = StreamId.parse(streamId).id();
            assertThat(response.getHeaders()).containsEntry("Location", "/accounts/" + id);
            assertThat(under.events.load(StreamId.parse(streamId))).hasSize(1);
        }

        @Test
        void a_retried_open_without_an_id_under_one_idempotency_key_opens_one_account() {
            HttpApiEvents.Request open = post("/accounts").header("Idempotency-Key", "open-owner-7-once")
                    .json("{\"ownerId\": \"owner-7\", \"currency\": \"EUR\"}");

            APIGatewayV2HTTPResponse first = under.send(open);
            APIGatewayV2HTTPResponse retry = under.send(open);

            assertThat(first.getStatusCode()).isEqualTo(201);
            assertThat(retry.getStatusCode()).isEqualTo(201);
            assertThat(retry.getBody()).isEqualTo(first.getBody());
            assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true")
                    .containsEntry("Location", first.getHeaders().get("Location"));
        }

        @Test
        void opening_an_open_account_again_breaks_a_rule() {
            under.send(openAccount("a-1"));

            APIGatewayV2HTTPResponse response = under.send(openAccount("a-1"));

            assertProblem(response, 422, PROBLEMS + "rules/account-already-open");
            assertThat(json(response).get("code").asText()).isEqualTo("account-already-open");
        }
    }

    @Nested
    class Deposits_and_withdrawals {

        @Test
        void a_deposit_answers_with_the_new_version_and_its_event() {
            under.send(openAccount("a-1"));

            APIGatewayV2HTTPResponse response = under.send(deposit("a-1", 1_000).json("""
                    {"amount": {"minorUnits": 1000, "currency": "EUR"}, "reference": "salary"}"""));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"").doesNotContainKey("Location");
            JsonNode event = json(response).get("events").get(0);
            assertThat(event.get("type").asText()).isEqualTo("MoneyDeposited");
            assertThat(event.get("schemaVersion").asInt()).isEqualTo(3);
            assertThat(event.get("data")).isEqualTo(json("{\"amount\":{\"minorUnits\":1000,\"currency\":\"EUR\"},\"reference\":\"salary\"}"));
            assertThat(under.events.load(ACCOUNT)).extracting(RecordedEvent::type).containsExactly("AccountOpened", "MoneyDeposited");
        }

        @Test
        void a_withdrawal_within_the_balance_is_recorded() {
            under.send(openAccount("a-1"));
            under.send(deposit("a-1", 1_000));

            APIGatewayV2HTTPResponse response = under.send(post("/accounts/a-1/withdrawals").json(amount(400)));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeaders()).containsEntry("ETag", "\"3\"");
            assertThat(json(response).get("events").get(0).get("type").asText()).isEqualTo("MoneyWithdrawn");
        }

        @Test
        void an_overdraft_is_refused_with_the_rule_as_its_type_and_code() {
            under.send(openAccount("a-1"));
            under.send(deposit("a-1", 100));

            APIGatewayV2HTTPResponse response = under.send(post("/accounts/a-1/withdrawals").json(amount(500)));

            JsonNode problem = assertProblem(response, 422, PROBLEMS + "rules/insufficient-funds");
            assertThat(problem.get("code").asText()).isEqualTo("insufficient-funds");
            assertThat(problem.get("title").asText()).isEqualTo("Insufficient funds");
            assertThat(problem.get("detail").asText()).contains("balance");
            assertThat(problem.get("instance").asText()).isEqualTo("/accounts/a-1/withdrawals");
            assertThat(under.events.load(ACCOUNT)).hasSize(2);
        }

        @Test
        void a_deposit_in_another_currency_than_the_accounts_breaks_a_rule() {
            under.send(openAccount("a-1"));

            APIGatewayV2HTTPResponse response = under.send(post("/accounts/a-1/deposits").json("""
                    {"amount": {"minorUnits": 1000, "currency": "USD"}}"""));

            assertProblem(response, 422, PROBLEMS + "rules/currency-mismatch");
        }

        @Test
        void a_deposit_to_an_account_that_was_never_opened_is_not_found() {
            APIGatewayV2HTTPResponse response = under.send(deposit("nobody", 1_000));

            JsonNode problem = assertProblem(response, 404, PROBLEMS + "not-found");
            assertThat(problem.get("code").asText()).isEqualTo("account-not-open");
            assertThat(under.store.appends()).isZero();
        }
    }

    @Nested
    class Orders {

        @Test
        void placing_an_order_creates_it_with_its_total() {
            APIGatewayV2HTTPResponse response = under.send(placeOrder("o-1"));

            assertThat(response.getStatusCode()).isEqualTo(201);
            assertThat(response.getHeaders()).containsEntry("Location", "/orders/o-1").containsEntry("ETag", "\"1\"");
            JsonNode event = json(response).get("events").get(0);
            assertThat(event.get("type").asText()).isEqualTo("OrderPlaced");
            assertThat(event.at("/data/total")).isEqualTo(json("{\"minorUnits\":2500,\"currency\":\"EUR\"}"));
            assertThat(event.at("/data/lines")).hasSize(2);
        }

        @Test
        void an_order_is_paid_then_shipped_without_a_body() {
            under.send(placeOrder("o-1"));

            APIGatewayV2HTTPResponse paid = under.send(post("/orders/o-1/payment").json(amount(2_500)));
            APIGatewayV2HTTPResponse shipped = under.send(post("/orders/o-1/shipment"));

            assertThat(paid.getStatusCode()).isEqualTo(200);
            assertThat(paid.getHeaders()).containsEntry("ETag", "\"2\"");
            assertThat(shipped.getStatusCode()).isEqualTo(200);
            assertThat(shipped.getHeaders()).containsEntry("ETag", "\"3\"");
            assertThat(under.events.load(ORDER)).extracting(RecordedEvent::type).containsExactly("OrderPlaced", "OrderPaid", "OrderShipped");
        }

        @Test
        void a_shipment_may_carry_an_empty_object() {
            under.send(placeOrder("o-1"));
            under.send(post("/orders/o-1/payment").json(amount(2_500)));

            APIGatewayV2HTTPResponse shipped = under.send(post("/orders/o-1/shipment").json("{}"));

            assertThat(shipped.getStatusCode()).isEqualTo(200);
        }

        @Test
        void cancelling_a_paid_order_records_the_refund_to_its_account() {
            under.send(placeOrder("o-1"));
            under.send(post("/orders/o-1/payment").json(amount(2_500)));

            APIGatewayV2HTTPResponse cancelled = under.send(post("/orders/o-1/cancellation").json("{\"reason\": \"changed my mind\"}"));

            assertThat(cancelled.getStatusCode()).isEqualTo(200);
            assertThat(json(cancelled).at("/events/0/data")).isEqualTo(json("""
                    {"reason": "changed my mind", "refund": {"accountId": "a-1", "amount": {"minorUnits": 2500, "currency": "EUR"}}}"""));
        }

        @Test
        void shipping_an_unpaid_order_breaks_a_rule() {
            under.send(placeOrder("o-1"));

            assertProblem(under.send(post("/orders/o-1/shipment")), 422, PROBLEMS + "rules/order-not-paid");
        }

        @Test
        void paying_an_order_that_was_never_placed_is_not_found() {
            APIGatewayV2HTTPResponse response = under.send(post("/orders/o-404/payment").json(amount(2_500)));

            JsonNode problem = assertProblem(response, 404, PROBLEMS + "not-found");
            assertThat(problem.get("code").asText()).isEqualTo("order-not-found");
        }
    }

    @Nested
    class If_Match {

        @Test
        void a_pin_on_the_current_version_is_applied() {
            under.send(openAccount("a-1"));

            APIGatewayV2HTTPResponse response = under.send(deposit("a-1", 100).header("If-Match", "\"1\""));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"");
        }

        @Test
        void an_unquoted_version_is_understood() {
            under.send(openAccount("a-1"));

            assertThat(under.send(deposit("a-1", 100).header("If-Match", "1")).getStatusCode()).isEqualTo(200);
        }

        @Test
        void a_pin_on_a_version_the_stream_has_left_fails_the_precondition_and_writes_nothing() {
            under.send(openAccount("a-1"));
            under.send(deposit("a-1", 100));
            int appendsBefore = under.store.appends();

            APIGatewayV2HTTPResponse response = under.send(deposit("a-1", 100).header("If-Match", "\"1\""));

            JsonNode problem = assertProblem(response, 412, PROBLEMS + "precondition-failed");
            assertThat(problem.get("detail").asText()).contains("version 1").contains("version 2");
            assertThat(under.events.load(ACCOUNT)).hasSize(2);
            assertThat(under.store.appends()).isEqualTo(appendsBefore);
        }

        @Test
        void creating_only_if_absent_is_a_pin_on_version_zero() {
            under.send(openAccount("a-1"));

            assertProblem(under.send(openAccount("a-1").header("If-Match", "\"0\"")), 412, PROBLEMS + "precondition-failed");
        }
    }

    @Nested
    class Conflicts {

        @Test
        void writers_that_keep_racing_exhaust_the_retries_and_get_a_409() {
            FunctionUnderTest racing = new FunctionUnderTest(store -> new ForwardingEventStore(store) {
                @Override
                public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    throw new VersionConflictException(streamId, expectedVersion, expectedVersion + 1);
                }
            });

            APIGatewayV2HTTPResponse response = racing.send(openAccount("a-1"));

            assertProblem(response, 409, PROBLEMS + "version-conflict");
            assertThat(json(response).get("detail").asText()).contains("account#a-1");
        }
    }

    @Nested
    class Idempotency_keys {

        @Test
        void a_repeat_gets_the_original_answer_byte_for_byte_and_writes_nothing() {
            under.send(openAccount("a-1"));
            HttpApiEvents.Request once = deposit("a-1", 700).header("Idempotency-Key", "deposit-0001-of-march");

            APIGatewayV2HTTPResponse first = under.send(once);
            APIGatewayV2HTTPResponse repeat = under.send(once);

            assertThat(repeat.getStatusCode()).isEqualTo(first.getStatusCode()).isEqualTo(200);
            assertThat(repeat.getBody()).isEqualTo(first.getBody());
            assertThat(repeat.getHeaders()).containsEntry("Idempotent-Replayed", "true").containsEntry("ETag", "\"2\"");
            assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
            assertThat(under.events.load(ACCOUNT)).hasSize(2);
        }

        @Test
        void a_repeat_reaching_another_container_gets_the_same_answer() {
            under.send(openAccount("a-1"));
            HttpApiEvents.Request once = deposit("a-1", 700).header("Idempotency-Key", "deposit-0002-of-march");
            APIGatewayV2HTTPResponse first = under.send(once);
            under.send(deposit("a-1", 5));

            APIGatewayV2HTTPResponse repeat = under.coldContainer().handleRequest(once.event(), null);

            assertThat(repeat.getStatusCode()).isEqualTo(200);
            assertThat(repeat.getBody()).isEqualTo(first.getBody());
            assertThat(repeat.getHeaders()).containsEntry("Idempotent-Replayed", "true");
            assertThat(under.events.load(ACCOUNT)).hasSize(3);
        }

        @Test
        void the_first_answer_of_a_created_stream_is_replayed_as_created() {
            HttpApiEvents.Request once = openAccount("a-1").header("Idempotency-Key", "open-a-1-exactly-once");

            APIGatewayV2HTTPResponse first = under.send(once);
            APIGatewayV2HTTPResponse repeat = under.send(once);

            assertThat(repeat.getStatusCode()).isEqualTo(first.getStatusCode()).isEqualTo(201);
            assertThat(repeat.getBody()).isEqualTo(first.getBody());
        }

        @Test
        void the_same_key_on_another_request_is_refused() {
            under.send(openAccount("a-1"));
            under.send(deposit("a-1", 700).header("Idempotency-Key", "deposit-0003-of-march"));

            APIGatewayV2HTTPResponse reused = under.send(deposit("a-1", 800).header("Idempotency-Key", "deposit-0003-of-march"));

            assertProblem(reused, 422, PROBLEMS + "idempotency-key-reused");
            assertThat(under.events.load(ACCOUNT)).hasSize(2);
        }
    }

    @Nested
    class Request_shapes {

        @Test
        void a_base64_encoded_body_is_decoded() {
            under.send(openAccount("a-1"));

            APIGatewayV2HTTPResponse response = under.send(post("/accounts/a-1/deposits")
                    .base64Json(amount(300).getBytes(StandardCharsets.UTF_8)));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(json(response).at("/events/0/data/amount/minorUnits").asLong()).isEqualTo(300);
        }

        @Test
        void a_json_content_type_may_name_utf_8() {
            under.send(openAccount("a-1"));

            APIGatewayV2HTTPResponse response = under.send(deposit("a-1", 300).header("Content-Type", "application/json; charset=UTF-8"));

            assertThat(response.getStatusCode()).isEqualTo(200);
        }

        @Test
        void a_known_path_under_another_method_names_the_allowed_ones() {
            APIGatewayV2HTTPResponse response = under.send(request("GET", "/accounts/a-1/deposits"));

            assertProblem(response, 405, PROBLEMS + "method-not-allowed");
            assertThat(response.getHeaders()).containsEntry("Allow", "POST");
        }

        @Test
        void field_errors_name_their_json_pointer() {
            under.send(placeOrder("o-0"));

            APIGatewayV2HTTPResponse response = under.send(post("/orders").json("""
                    {"customerId": "c-1", "accountId": "a-1", "currency": "EUR", "lines": [
                      {"sku": "A", "quantity": 1, "unitPrice": {"minorUnits": 1, "currency": "EUR"}},
                      {"sku": "B", "quantity": 1, "unitPrice": {"minorUnits": 1, "currency": "EUR"}},
                      {"sku": "C", "quantity": 0, "unitPrice": {"minorUnits": 1, "currency": "EUR"}}]}"""));

            JsonNode problem = assertProblem(response, 400, PROBLEMS + "invalid-request");
            assertThat(problem.get("detail").asText()).isEqualTo("/lines/2/quantity must be 1..10000, but was 0");
            assertThat(problem.get("errors")).singleElement()
                    .satisfies(error -> assertThat(error.get("pointer").asText()).isEqualTo("/lines/2/quantity"));
        }
    }

    @Nested
    class Metadata {

        @Test
        void events_carry_the_request_id_as_command_id_and_the_clients_correlation_id() {
            APIGatewayV2HTTPResponse response = under.send(openAccount("a-1").requestId("JKJaXmPLvHcESHA=")
                    .header("X-Correlation-Id", "checkout-42"));

            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", "checkout-42");
            assertThat(under.events.load(ACCOUNT).getFirst().metadata())
                    .isEqualTo(new EventMetadata("JKJaXmPLvHcESHA=", "checkout-42", null));
        }

        @Test
        void without_a_correlation_id_a_request_correlates_with_itself() {
            under.send(openAccount("a-1").requestId("req-own"));

            assertThat(under.events.load(ACCOUNT).getFirst().metadata()).isEqualTo(EventMetadata.forCommand("req-own"));
        }

        @Test
        void an_unusable_correlation_id_is_replaced_by_the_command_id() {
            under.send(openAccount("a-1").requestId("req-own").header("X-Correlation-Id", "has spaces in it"));

            assertThat(under.events.load(ACCOUNT).getFirst().metadata().correlationId()).isEqualTo("req-own");
        }

        @Test
        void an_event_without_a_request_id_gets_a_generated_command_id() {
            under.send(openAccount("a-1").requestId(null));

            assertThat(under.events.load(ACCOUNT).getFirst().metadata().commandId()).matches("[0-9a-f-]{36}");
        }
    }

    @Nested
    class Failures {

        @Test
        void a_failing_store_is_a_generic_500_that_names_only_the_correlation_id() {
            FunctionUnderTest broken = new FunctionUnderTest(store -> new ForwardingEventStore(store) {
                @Override
                public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    throw new IllegalStateException("connection to dynamodb.internal.example refused");
                }
            });

            APIGatewayV2HTTPResponse response = broken.send(openAccount("a-1").header("X-Correlation-Id", "trace-500"));

            JsonNode problem = assertProblem(response, 500, PROBLEMS + "internal-error");
            assertThat(problem.get("correlationId").asText()).isEqualTo("trace-500");
            assertThat(response.getBody()).doesNotContain("dynamodb.internal.example", "IllegalStateException", "java.", "at dev.");
            assertThat(broken.log).singleElement().satisfies(line -> {
                JsonNode logged = json(line);
                assertThat(logged.get("level").asText()).isEqualTo("ERROR");
                assertThat(logged.get("correlationId").asText()).isEqualTo("trace-500");
                assertThat(logged.get("status").asInt()).isEqualTo(500);
                assertThat(logged.get("error").asText()).contains("IllegalStateException", "dynamodb.internal.example");
            });
        }

        @Test
        void events_too_large_for_the_store_are_a_413() {
            FunctionUnderTest strict = new FunctionUnderTest(store -> new ForwardingEventStore(store) {
                @Override
                public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
                    throw new AppendTooLargeException(streamId, "a payload", 70_000, 65_536);
                }
            });

            APIGatewayV2HTTPResponse response = strict.send(openAccount("a-1"));

            JsonNode problem = assertProblem(response, 413, PROBLEMS + "payload-too-large");
            assertThat(problem.get("detail").asText()).contains("70000", "65536");
        }
    }

    @Nested
    class Logging {

        @Test
        void each_request_writes_one_json_line_with_its_route_stream_and_outcome() {
            under.send(openAccount("a-1").header("X-Correlation-Id", "c-9"));
            under.send(deposit("a-1", 100).header("X-Correlation-Id", "c-10").header("Idempotency-Key", "k-000000001"));
            under.send(deposit("a-1", 100).header("X-Correlation-Id", "c-11").header("Idempotency-Key", "k-000000001"));
            under.send(request("GET", "/nowhere"));

            assertThat(under.log).hasSize(4);
            JsonNode created = json(under.log.get(0));
            assertThat(created.get("level").asText()).isEqualTo("INFO");
            assertThat(created.get("route").asText()).isEqualTo("POST /accounts");
            assertThat(created.get("stream").asText()).isEqualTo("account#a-1");
            assertThat(created.get("version").asLong()).isEqualTo(1);
            assertThat(created.get("status").asInt()).isEqualTo(201);
            assertThat(created.get("outcome").asText()).isEqualTo("created");
            assertThat(created.get("correlationId").asText()).isEqualTo("c-9");
            assertThat(created.get("durationMs").isIntegralNumber()).isTrue();
            assertThat(created.get("replayed").asBoolean()).isFalse();
            JsonNode replayed = json(under.log.get(2));
            assertThat(replayed.get("route").asText()).isEqualTo("POST /accounts/{id}/deposits");
            assertThat(replayed.get("replayed").asBoolean()).isTrue();
            JsonNode unrouted = json(under.log.get(3));
            assertThat(unrouted.has("route")).isFalse();
            assertThat(unrouted.get("outcome").asText()).isEqualTo("not-found");
        }
    }

    private static HttpApiEvents.Request openAccount(String id) {
        return post("/accounts").json("""
                {"accountId": "%s", "ownerId": "owner-1", "currency": "EUR"}""".formatted(id));
    }

    private static HttpApiEvents.Request deposit(String accountId, long minorUnits) {
        return post("/accounts/" + accountId + "/deposits").json(amount(minorUnits));
    }

    private static String amount(long minorUnits) {
        return """
                {"amount": {"minorUnits": %d, "currency": "EUR"}}""".formatted(minorUnits);
    }

    private static HttpApiEvents.Request placeOrder(String id) {
        return post("/orders").json("""
                {"orderId": "%s", "customerId": "c-1", "accountId": "a-1", "currency": "EUR",
                 "lines": [{"sku": "BOOK-1", "quantity": 2, "unitPrice": {"minorUnits": 1000, "currency": "EUR"}},
                           {"sku": "PEN-2", "quantity": 1, "unitPrice": {"minorUnits": 500, "currency": "EUR"}}]}""".formatted(id));
    }

    private static JsonNode assertProblem(APIGatewayV2HTTPResponse response, int status, String type) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).startsWith("/");
        assertThat(problem.get("correlationId").asText()).isNotBlank();
        return problem;
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }
}
