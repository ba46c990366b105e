package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.json;
import static dev.factline.functions.query.QueryFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import dev.factline.order.OrderView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The query function on a real (dynalite) server and a real Redis, through HTTP API events as
 * Lambda delivers them, every route: views, read-after-write, temporal reads, conditional GETs,
 * a customer's orders, the dashboard, histories, and the problems on the way.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryFunctionIT {

    private static QueryFixture side;
    private static RedisViewCache redis;

    private final ManualClock clock = new ManualClock(START);
    private final String accountId = "a-" + UUID.randomUUID();
    private final StreamId account = StreamId.of("account", accountId);

    @BeforeAll
    static void deploy() {
        side = QueryFixture.create("query");
        redis = new RedisViewCache(RedisViewCache.client(LocalRedis.shared().uri(), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                Duration.ofHours(1));
    }

    @AfterAll
    static void closeRedis() {
        redis.close();
    }

    private QueryFunction container() {
        return side.container(redis, clock);
    }

    static void assertProblem(APIGatewayV2HTTPResponse response, int status, String slug) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://factline.dev/problems/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("correlationId").asText()).isNotBlank();
    }

    @Nested
    class Views {

        @Test
        void a_projected_account_is_its_view_as_stored_with_its_version_as_the_etag() {
            side.openAccount(accountId);
            side.deposit(accountId, 1250);
            ViewRow row = side.project(account);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            assertThat(response.getBody()).isEqualTo(row.json());
            assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"").containsEntry("Content-Type", "application/json")
                    .containsKey("X-Correlation-Id");
            JsonNode view = json(response);
            assertThat(view.get("balance").get("minorUnits").asLong()).isEqualTo(1250);
            assertThat(view.get("version").asLong()).isEqualTo(2);
        }

        @Test
        void an_order_is_its_view_with_its_lines_and_status() {
            String orderId = "o-" + UUID.randomUUID();
            side.openAccount(accountId);
            side.placeOrder(orderId, "c-1", accountId, 400, 3);
            side.pay(orderId, 1200);
            ViewRow row = side.project(StreamId.of("order", orderId));

            APIGatewayV2HTTPResponse response = send(container(), get("/orders/" + orderId));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            assertThat(response.getBody()).isEqualTo(row.json());
            assertThat(json(response).get("status").asText()).isEqualTo("PAID");
            assertThat(json(response).get("total").get("minorUnits").asLong()).isEqualTo(1200);
            assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"");
        }

        @Test
        void an_account_nobody_opened_is_404_not_found() {
            assertProblem(send(container(), get("/accounts/" + accountId)), 404, "not-found");
            assertProblem(send(container(), get("/orders/o-" + UUID.randomUUID())), 404, "not-found");
        }

        @Test
        void an_account_not_projected_yet_is_404_until_asked_for_with_min_version() {
            side.openAccount(accountId);

            assertProblem(send(container(), get("/accounts/" + accountId)), 404, "not-found");
            APIGatewayV2HTTPResponse rebuilt = send(container(), get("/accounts/" + accountId + "?minVersion=1"));

            assertThat(rebuilt.getStatusCode()).as(rebuilt.getBody()).isEqualTo(200);
            assertThat(rebuilt.getBody()).isEqualTo(side.viewAt(account, 1).json());
        }

        @Test
        void head_answers_as_get_does_without_a_body() {
            side.openAccount(accountId);
            side.project(account);

            APIGatewayV2HTTPResponse head = send(container(), QueryEvents.request("HEAD", "/accounts/" + accountId));

            assertThat(head.getStatusCode()).isEqualTo(200);
            assertThat(head.getBody()).isEmpty();
            assertThat(head.getHeaders()).containsEntry("ETag", "\"1\"");
        }

        @Test
        void a_body_sent_with_a_get_is_ignored() {
            side.openAccount(accountId);
            side.project(account);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId).json("{not even json"));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        }
        @Test
        void a_miss_reads_the_row_consistently_so_a_lagging_read_cannot_park_an_older_view_in_redis() {
            side.openAccount(accountId);
            side.project(account);
            side.requests.clear();

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            List<GetItemRequest> rowReads = side.requests.stream()
                    .filter(GetItemRequest.class::isInstance).map(GetItemRequest.class::cast)
                    .filter(read -> read.key().equals(ViewRow.keyOf(AccountView.MODEL.rowKey(account))))
                    .toList();
            assertThat(rowReads).singleElement().extracting(GetItemRequest::consistentRead).isEqualTo(true);
        }
    }

    /** Issue 15: a first poll put the old view in the container's LRU for its second, so a poller saw a deposit about 1 s late. */
    @Nested
    class Polling {

        private APIGatewayV2HTTPResponse pollAfter10Ms(QueryFunction container, String path) {
            clock.advance(Duration.ofMillis(10));
            return send(container, get(path));
        }

        @Test
        void a_reader_polling_every_10_ms_sees_a_deposit_once_the_read_table_has_it_not_a_second_later() {
            side.openAccount(accountId);
            redis.putAll(List.of(side.project(account)), 0);
            QueryFunction container = container();
            assertThat(send(container, get("/accounts/" + accountId)).getHeaders()).containsEntry("ETag", "\"1\"");

            side.deposit(accountId, 700);
            APIGatewayV2HTTPResponse beforeProjection = pollAfter10Ms(container, "/accounts/" + accountId);
            redis.putAll(List.of(side.project(account)), 0); // the projector: the row, then Redis, in one batch
            APIGatewayV2HTTPResponse afterProjection = pollAfter10Ms(container, "/accounts/" + accountId);

            assertThat(beforeProjection.getHeaders()).containsEntry("ETag", "\"1\"");
            assertThat(afterProjection.getHeaders()).as("the next poll, 10 ms after the projector wrote").containsEntry("ETag", "\"2\"");
        }

        @Test
        void a_reader_polling_a_statement_redis_does_not_hold_sees_a_deposit_once_the_read_table_has_it() {
            side.openAccount(accountId);
            side.project(account, AccountStatement.MODEL);
            QueryFunction container = container();
            assertThat(send(container, get("/accounts/" + accountId + "/statement")).getHeaders()).containsEntry("ETag", "\"1\"");

            side.deposit(accountId, 700);
            side.project(account, AccountStatement.MODEL);
            APIGatewayV2HTTPResponse afterProjection = pollAfter10Ms(container, "/accounts/" + accountId + "/statement");

            assertThat(afterProjection.getHeaders()).containsEntry("ETag", "\"2\"");
        }
    }

    @Nested
    class Statements {

        @Test
        void an_accounts_statement_is_served_from_its_row_and_rebuilt_from_the_events_when_more_is_asked() {
            side.openAccount(accountId);
            side.deposit(accountId, 700);
            ViewRow row = side.project(account, AccountStatement.MODEL);
            QueryFunction container = container();

            APIGatewayV2HTTPResponse stored = send(container, get("/accounts/" + accountId + "/statement"));
            side.deposit(accountId, 300);
            APIGatewayV2HTTPResponse fresh = send(container, get("/accounts/" + accountId + "/statement?minVersion=3"));

            assertThat(stored.getStatusCode()).as(stored.getBody()).isEqualTo(200);
            assertThat(stored.getHeaders()).containsEntry("ETag", "\"2\"");
            assertThat(stored.getBody()).isEqualTo(row.json());
            assertThat(json(stored).get("months").get(0).get("deposits").asLong()).isEqualTo(700);
            assertThat(fresh.getStatusCode()).as(fresh.getBody()).isEqualTo(200);
            assertThat(json(fresh).get("months").get(0).get("deposits").asLong()).isEqualTo(1_000);
            assertThat(json(fresh).get("months").get(0).get("closing").asLong()).isEqualTo(1_000);
        }

        @Test
        void a_statement_not_projected_yet_is_a_404_that_points_to_min_version() {
            side.openAccount(accountId);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId + "/statement"));

            assertThat(response.getStatusCode()).isEqualTo(404);
            assertThat(response.getBody()).contains("minVersion=1");
        }
    }

    @Nested
    class Read_after_write {

        @Test
        void the_new_version_is_served_at_once_even_with_the_projector_paused() {
            side.openAccount(accountId);
            side.project(account);
            QueryFunction container = container();
            assertThat(send(container, get("/accounts/" + accountId)).getHeaders()).containsEntry("ETag", "\"1\"");

            long written = side.deposit(accountId, 700);
            APIGatewayV2HTTPResponse stale = send(container, get("/accounts/" + accountId));
            APIGatewayV2HTTPResponse fresh = send(container, get("/accounts/" + accountId + "?minVersion=" + written));

            assertThat(stale.getHeaders()).as("a plain read serves the read side as it is").containsEntry("ETag", "\"1\"");
            assertThat(fresh.getStatusCode()).as(fresh.getBody()).isEqualTo(200);
            assertThat(fresh.getHeaders()).containsEntry("ETag", "\"2\"");
            assertThat(fresh.getBody()).isEqualTo(side.viewAt(account, 2).json());
            assertThat(json(fresh).get("balance").get("minorUnits").asLong()).isEqualTo(700);
            assertThat(side.row(AccountView.MODEL.rowKey(account)).orElseThrow().version()).as("the projector's row, untouched").isEqualTo(1);
        }

        @Test
        void the_min_version_header_and_a_consistent_read_rebuild_as_well() {
            side.openAccount(accountId);
            side.project(account);
            side.deposit(accountId, 700);

            APIGatewayV2HTTPResponse byHeader = send(container(), get("/accounts/" + accountId).header("Min-Version", "2"));
            APIGatewayV2HTTPResponse byEtag = send(container(), get("/accounts/" + accountId).header("Min-Version", "\"2\""));
            APIGatewayV2HTTPResponse consistent = send(container(), get("/accounts/" + accountId + "?consistent=true"));

            for (APIGatewayV2HTTPResponse response : List.of(byHeader, byEtag, consistent)) {
                assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
                assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"");
            }
        }

        @Test
        void a_rebuilt_view_is_cached_so_no_later_read_goes_back_to_the_older_one() {
            side.openAccount(accountId);
            side.project(account);
            QueryFunction container = container();
            send(container, get("/accounts/" + accountId));
            side.deposit(accountId, 700);

            send(container, get("/accounts/" + accountId + "?minVersion=2"));
            APIGatewayV2HTTPResponse sameContainer = send(container, get("/accounts/" + accountId));
            APIGatewayV2HTTPResponse otherContainer = send(container(), get("/accounts/" + accountId));

            assertThat(sameContainer.getHeaders()).as("from Redis").containsEntry("ETag", "\"2\"");
            assertThat(otherContainer.getHeaders()).as("from Redis").containsEntry("ETag", "\"2\"");
        }

        @Test
        void a_min_version_the_stream_has_not_reached_is_404_version_not_found_naming_the_head() {
            side.openAccount(accountId);
            side.project(account);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId + "?minVersion=9"));

            assertProblem(response, 404, "version-not-found");
            assertThat(json(response).get("detail").asText()).contains("is at version 1", "no version 9");
        }

        @Test
        void a_min_version_of_a_stream_with_no_events_is_404_not_found() {
            assertProblem(send(container(), get("/accounts/" + accountId + "?minVersion=1")), 404, "not-found");
        }
        @Test
        void a_stored_view_of_another_shape_is_not_folded_on_but_rebuilt_from_the_first_event() {
            side.openAccount(accountId);
            side.deposit(accountId, 100);
            ViewRow projected = side.project(account);
            // As a build whose view has a field this one lacks stored it: this build's strict mapper cannot read it.
            side.put(new ViewRow(projected.key(), projected.version(),
                    projected.json().replaceFirst("^\\{", "{\"loyaltyTier\":\"gold\","), null, null));
            side.deposit(accountId, 20);
            side.metrics.clear();

            // Each container starts from the stored view (from the table, then from Redis, which the first filled).
            APIGatewayV2HTTPResponse atVersion = send(container(), get("/accounts/" + accountId + "?atVersion=3"));
            APIGatewayV2HTTPResponse minVersion = send(container(), get("/accounts/" + accountId + "?minVersion=3"));

            for (APIGatewayV2HTTPResponse response : List.of(atVersion, minVersion)) {
                assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
                assertThat(response.getBody()).isEqualTo(side.viewAt(account, 3).json());
                assertThat(response.getHeaders()).containsEntry("ETag", "\"3\"");
            }
            assertThat(side.metrics).extracting(QueryFigures::rebuilds).containsExactly(1, 1);
        }
    }

    @Nested
    class Temporal_reads {

        @Test
        void at_version_is_the_view_at_that_version_though_the_stored_view_is_newer() {
            side.openAccount(accountId);
            side.deposit(accountId, 100);
            side.deposit(accountId, 20);
            side.project(account);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId + "?atVersion=2"));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            assertThat(response.getBody()).isEqualTo(side.viewAt(account, 2).json());
            assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"");
        }

        @Test
        void at_version_past_a_lagging_view_folds_on_from_it() {
            side.openAccount(accountId);
            side.project(account);
            side.deposit(accountId, 100);
            side.deposit(accountId, 20);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId + "?atVersion=3"));

            assertThat(response.getBody()).isEqualTo(side.viewAt(account, 3).json());
        }

        @Test
        void at_version_past_the_head_is_404_version_not_found() {
            side.openAccount(accountId);
            side.project(account);

            assertProblem(send(container(), get("/accounts/" + accountId + "?atVersion=2")), 404, "version-not-found");
            assertProblem(send(container(), get("/accounts/a-" + UUID.randomUUID() + "?atVersion=1")), 404, "not-found");
        }

        @Test
        void as_of_an_instant_is_the_view_of_the_events_that_had_occurred_by_then() {
            Instant opened = side.commandClock.instant();
            side.openAccount(accountId);
            side.deposit(accountId, 100);
            side.deposit(accountId, 20);

            APIGatewayV2HTTPResponse atOpening = send(container(), get("/accounts/" + accountId + "?asOf=" + opened));
            APIGatewayV2HTTPResponse between = send(container(), get("/accounts/" + accountId + "?asOf=" + opened.plusMillis(1500)));
            APIGatewayV2HTTPResponse withOffset = send(container(),
                    get("/accounts/" + accountId + "?asOf=" + opened.plusSeconds(3600 + 1).toString().replace("Z", "%2B01:00")));

            assertThat(atOpening.getBody()).isEqualTo(side.viewAt(account, 1).json());
            assertThat(between.getBody()).isEqualTo(side.viewAt(account, 2).json());
            assertThat(between.getHeaders()).containsEntry("ETag", "\"2\"");
            assertThat(withOffset.getBody()).as("11:00+01:00 is 10:00Z").isEqualTo(side.viewAt(account, 2).json());
        }

        @Test
        void as_of_before_the_first_event_is_404_not_found() {
            Instant before = side.commandClock.instant().minusMillis(1);
            side.openAccount(accountId);

            assertProblem(send(container(), get("/accounts/" + accountId + "?asOf=" + before)), 404, "not-found");
        }
    }

    @Nested
    class Conditional_gets {

        @Test
        void the_current_etag_in_if_none_match_is_304_with_the_etag_and_no_body() {
            side.openAccount(accountId);
            side.project(account);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId).header("If-None-Match", "\"1\""));

            assertThat(response.getStatusCode()).isEqualTo(304);
            assertThat(response.getBody()).isNull();
            assertThat(response.getHeaders()).containsEntry("ETag", "\"1\"").doesNotContainKey("Content-Type");
        }

        @Test
        void a_star_a_list_and_a_weak_tag_match_by_weak_comparison() {
            side.openAccount(accountId);
            side.project(account);

            for (String header : List.of("*", "\"7\", \"1\"", "W/\"1\"", "\"0\",W/\"1\"")) {
                APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId).header("If-None-Match", header));
                assertThat(response.getStatusCode()).as(header).isEqualTo(304);
            }
        }

        @Test
        void an_older_etag_gets_the_new_view() {
            side.openAccount(accountId);
            side.deposit(accountId, 5);
            side.project(account);

            APIGatewayV2HTTPResponse response = send(container(), get("/accounts/" + accountId).header("If-None-Match", "\"1\""));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeaders()).containsEntry("ETag", "\"2\"");
        }

        @Test
        void a_rebuilt_and_a_temporal_view_are_conditional_too() {
            side.openAccount(accountId);
            side.deposit(accountId, 5);

            assertThat(send(container(), get("/accounts/" + accountId + "?minVersion=2").header("If-None-Match", "\"2\""))
                    .getStatusCode()).isEqualTo(304);
            assertThat(send(container(), get("/accounts/" + accountId + "?atVersion=1").header("If-None-Match", "\"1\""))
                    .getStatusCode()).isEqualTo(304);
        }

        @Test
        void a_list_page_has_a_weak_etag_of_its_content() {
            side.openAccount(accountId);
            APIGatewayV2HTTPResponse first = send(container(), get("/accounts/" + accountId + "/events"));
            String etag = first.getHeaders().get("ETag");

            APIGatewayV2HTTPResponse same = send(container(), get("/accounts/" + accountId + "/events").header("If-None-Match", etag));
            side.deposit(accountId, 5);
            APIGatewayV2HTTPResponse grown = send(container(), get("/accounts/" + accountId + "/events").header("If-None-Match", etag));

            assertThat(etag).startsWith("W/\"");
            assertThat(same.getStatusCode()).isEqualTo(304);
            assertThat(grown.getStatusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Customer_orders {

        private final String customerId = "c-" + UUID.randomUUID();

        @Test
        void are_listed_oldest_first_a_page_at_a_time_with_a_next_link_while_more_follow() {
            side.openAccount(accountId);
            List<String> orderIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String orderId = "o-" + i + "-" + UUID.randomUUID();
                side.placeOrder(orderId, customerId, accountId, 100 + i, 1);
                side.project(StreamId.of("order", orderId));
                orderIds.add(orderId);
            }

            List<String> listed = new ArrayList<>();
            String next = "/customers/" + customerId + "/orders?limit=2";
            int pages = 0;
            while (next != null) {
                APIGatewayV2HTTPResponse page = send(container(), get(next));
                assertThat(page.getStatusCode()).as(page.getBody()).isEqualTo(200);
                JsonNode body = json(page);
                assertThat(body.get("customerId").asText()).isEqualTo(customerId);
                body.get("orders").forEach(order -> listed.add(order.get("orderId").asText()));
                next = body.has("next") ? body.get("next").asText() : null;
                pages++;
            }

            assertThat(listed).containsExactlyElementsOf(orderIds);
            assertThat(pages).isEqualTo(3);
        }

        @Test
        void each_order_is_its_view_as_stored() {
            side.openAccount(accountId);
            String orderId = "o-" + UUID.randomUUID();
            side.placeOrder(orderId, customerId, accountId, 250, 2);
            ViewRow row = side.project(StreamId.of("order", orderId));

            JsonNode body = json(send(container(), get("/customers/" + customerId + "/orders")));

            assertThat(body.get("orders")).hasSize(1);
            assertThat(body.get("orders").get(0)).isEqualTo(json(row.json()));
            assertThat(body.has("next")).isFalse();
        }

        @Test
        void a_customer_without_orders_has_an_empty_list() {
            APIGatewayV2HTTPResponse response = send(container(), get("/customers/" + customerId + "/orders"));

            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(json(response).get("orders")).isEmpty();
        }

        @Test
        void a_cursor_of_another_customer_is_refused() {
            side.openAccount(accountId);
            for (int i = 0; i < 2; i++) {
                String orderId = "o-" + UUID.randomUUID();
                side.placeOrder(orderId, customerId, accountId, 100, 1);
                side.project(StreamId.of("order", orderId));
            }
            String next = json(send(container(), get("/customers/" + customerId + "/orders?limit=1"))).get("next").asText();
            String cursor = next.substring(next.indexOf("after=") + 6, next.indexOf('&'));

            assertProblem(send(container(), get("/customers/c-other/orders?after=" + cursor)), 400, "invalid-request");
        }
        @Test
        void a_page_cut_short_by_the_1_mb_a_query_reads_is_read_on_and_keeps_its_next_link() {
            List<String> orderIds = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String orderId = String.format("o-%03d-", i) + UUID.randomUUID();
                // 100 lines of 64-character SKUs: about 12 KB a row, so 101 rows are well past 1 MB.
                ViewRow row = side.putOrder(orderId, customerId, START.plusSeconds(i), 100);
                assertThat(row.json().length() * 101L).isGreaterThan(1L << 20);
                orderIds.add(orderId);
            }
            side.calls.reset();

            List<JsonNode> pages = pages("/customers/" + customerId + "/orders?limit=100");

            assertThat(pages).extracting(page -> page.get("orders").size()).as("orders a page").containsExactly(100, 20);
            assertThat(orderIdsOf(pages)).containsExactlyElementsOf(orderIds);
            assertThat(side.calls.calls().get("Query")).as("a Query stopped at 1 MB, and the page was read on").isGreaterThan(2);
        }

        @Test
        void orders_placed_within_one_second_are_listed_oldest_first_whatever_the_digits_of_their_times() {
            Instant second = START.plusSeconds(3600);
            // Instant.toString: 10:00:00Z, 10:00:00.500Z, 10:00:01Z; as text the half second sorts first ('.' < 'Z').
            String whole = side.putOrder("o-whole-" + UUID.randomUUID(), customerId, second, 1).key();
            String half = side.putOrder("o-half-" + UUID.randomUUID(), customerId, second.plusMillis(500), 1).key();
            String next = side.putOrder("o-next-" + UUID.randomUUID(), customerId, second.plusSeconds(1), 1).key();
            List<String> oldestFirst = Stream.of(whole, half, next).map(key -> OrderView.MODEL.streamOf(key).id()).toList();

            List<String> onePage = orderIdsOf(pages("/customers/" + customerId + "/orders"));
            List<String> oneByOne = orderIdsOf(pages("/customers/" + customerId + "/orders?limit=1"));

            assertThat(onePage).containsExactlyElementsOf(oldestFirst);
            assertThat(oneByOne).containsExactlyElementsOf(oldestFirst);
        }

        /** The pages from {@code target} on, following each {@code next} link, each checked to be a 200 of this customer. */
        private List<JsonNode> pages(String target) {
            List<JsonNode> pages = new ArrayList<>();
            QueryFunction container = container();
            for (String page = target; page != null; ) {
                APIGatewayV2HTTPResponse response = send(container, get(page));
                assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
                JsonNode body = json(response);
                assertThat(body.get("customerId").asText()).isEqualTo(customerId);
                pages.add(body);
                page = body.has("next") ? body.get("next").asText() : null;
            }
            return pages;
        }

        private static List<String> orderIdsOf(List<JsonNode> pages) {
            List<String> orderIds = new ArrayList<>();
            pages.forEach(page -> page.get("orders").forEach(order -> orderIds.add(order.get("orderId").asText())));
            return orderIds;
        }
    }

    @Nested
    class Dashboard {

        @Test
        void counts_and_totals_every_status_with_zeros_included() {
            QueryFixture own = QueryFixture.create("dashboard");
            own.openAccount(accountId);
            own.placeOrder("o-1", "c-1", accountId, 400, 3);
            own.placeOrder("o-2", "c-1", accountId, 100, 1);
            own.placeOrder("o-3", "c-2", accountId, 50, 2);
            own.pay("o-3", 100);
            own.addToDashboard("o-1", "o-2", "o-3");

            APIGatewayV2HTTPResponse response = send(own.container(ViewCache.none(), clock), get("/dashboard"));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            assertThat(json(response)).isEqualTo(json("""
                    {"statuses": {
                      "PLACED": {"orders": 2, "totals": {"EUR": 1300}},
                      "PAID": {"orders": 1, "totals": {"EUR": 100}},
                      "SHIPPED": {"orders": 0, "totals": {}},
                      "CANCELLED": {"orders": 0, "totals": {}}}}
                    """));
            assertThat(response.getHeaders().get("ETag")).startsWith("W/\"");
        }

        @Test
        void two_orders_of_2_to_the_62_minor_units_total_2_to_the_63_instead_of_breaking_the_dashboard_for_everyone() {
            QueryFixture own = QueryFixture.create("dashboard");
            own.openAccount(accountId);
            own.placeOrder("o-1", "c-1", accountId, 1L << 62, 1);
            own.placeOrder("o-2", "c-1", accountId, 1L << 62, 1);
            own.addToDashboard("o-1", "o-2");

            APIGatewayV2HTTPResponse response = send(own.container(ViewCache.none(), clock), get("/dashboard"));

            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            assertThat(json(response).get("statuses").get("PLACED").get("totals").get("EUR").bigIntegerValue())
                    .isEqualTo(java.math.BigInteger.TWO.pow(63));
        }

        @Test
        void an_empty_read_table_is_a_dashboard_of_zeros() {
            QueryFixture own = QueryFixture.create("dashboard");

            JsonNode body = json(send(own.container(ViewCache.none(), clock), get("/dashboard")));

            assertThat(body.get("statuses").size()).isEqualTo(4);
            body.get("statuses").forEach(status -> assertThat(status.get("orders").asLong()).isZero());
        }
    }

    @Nested
    class Histories {

        @Test
        void are_paged_oldest_first_with_cursors_until_the_head() {
            side.openAccount(accountId);
            for (int i = 1; i <= 6; i++) {
                side.deposit(accountId, i);
            }

            List<Long> versions = new ArrayList<>();
            String next = "/accounts/" + accountId + "/events?limit=3";
            int pages = 0;
            while (next != null) {
                JsonNode page = json(send(container(), get(next)));
                assertThat(page.get("streamId").asText()).isEqualTo(account.toString());
                page.get("events").forEach(event -> versions.add(event.get("version").asLong()));
                next = page.has("next") ? page.get("next").asText() : null;
                pages++;
            }

            assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(pages).isEqualTo(3);
        }

        @Test
        void an_event_carries_its_envelope_its_metadata_and_its_data() {
            side.openAccount(accountId);
            Instant depositedAt = side.commandClock.instant();
            side.deposit(accountId, 1250);

            JsonNode deposit = json(send(container(), get("/accounts/" + accountId + "/events"))).get("events").get(1);

            assertThat(deposit.get("version").asLong()).isEqualTo(2);
            assertThat(deposit.get("type").asText()).isEqualTo("MoneyDeposited");
            assertThat(deposit.get("schemaVersion").asInt()).isEqualTo(3);
            assertThat(deposit.get("storedSchemaVersion").asInt()).isEqualTo(3);
            assertThat(deposit.get("eventId").asText()).isNotBlank();
            assertThat(Instant.parse(deposit.get("occurredAt").asText())).isEqualTo(depositedAt);
            assertThat(deposit.get("data").get("amount").get("minorUnits").asLong()).isEqualTo(1250);
            assertThat(deposit.get("metadata").get("commandId").asText()).isNotBlank();
            assertThat(deposit.get("metadata").get("correlationId").asText()).isNotBlank();
            assertThat(deposit.get("metadata").has("causationId")).isTrue();
        }

        @Test
        void an_event_stored_in_an_old_schema_is_served_in_the_current_shape() {
            side.openAccount(accountId);
            EventMetadata metadata = EventMetadata.forCommand("cmd-" + UUID.randomUUID());
            side.store.append(account, 1, List.of(new NewEvent(UUID.randomUUID(), "MoneyDeposited", 1, START,
                    "{\"amount\": 1250, \"currency\": \"EUR\"}", metadata)), null);

            JsonNode deposit = json(send(container(), get("/accounts/" + accountId + "/events"))).get("events").get(1);

            assertThat(deposit.get("storedSchemaVersion").asInt()).isEqualTo(1);
            assertThat(deposit.get("schemaVersion").asInt()).isEqualTo(3);
            assertThat(deposit.get("data")).isEqualTo(json("{\"amount\": {\"minorUnits\": 1250, \"currency\": \"EUR\"}, \"reference\": null}"));
        }

        @Test
        void an_order_has_one_too() {
            String orderId = "o-" + UUID.randomUUID();
            side.openAccount(accountId);
            side.placeOrder(orderId, "c-1", accountId, 100, 1);
            side.cancel(orderId);

            JsonNode page = json(send(container(), get("/orders/" + orderId + "/events")));

            assertThat(page.get("events")).extracting(event -> event.get("type").asText()).containsExactly("OrderPlaced", "OrderCancelled");
        }

        @Test
        void a_stream_with_no_events_is_404() {
            assertProblem(send(container(), get("/accounts/" + accountId + "/events")), 404, "not-found");
        }

        @Test
        void a_cursor_naming_a_version_the_stream_lacks_is_refused() {
            side.openAccount(accountId);
            String forged = Cursor.encode(account + "/events", "5");

            assertProblem(send(container(), get("/accounts/" + accountId + "/events?after=" + forged)), 400, "invalid-request");
        }

        @Test
        void a_page_after_the_last_event_is_empty_without_next() {
            side.openAccount(accountId);
            String atHead = Cursor.encode(account + "/events", "1");

            JsonNode page = json(send(container(), get("/accounts/" + accountId + "/events?after=" + atHead)));

            assertThat(page.get("events")).isEmpty();
            assertThat(page.has("next")).isFalse();
        }
    }

    @Nested
    class Routes_and_failures {

        @Test
        void an_unknown_path_is_404_and_another_method_405_naming_get_and_head() {
            assertProblem(send(container(), get("/accounts")), 404, "not-found");
            assertProblem(send(container(), get("/accounts/a-1/balance")), 404, "not-found");
            APIGatewayV2HTTPResponse post = send(container(), QueryEvents.request("POST", "/accounts/a-1"));

            assertProblem(post, 405, "method-not-allowed");
            assertThat(post.getHeaders()).containsEntry("Allow", "GET, HEAD");
        }

        @Test
        void a_read_table_that_cannot_be_read_is_503_views_unavailable_and_logged() {
            QuerySettings missingTables = QuerySettings.of(new ReadTable("no-such-read-table"), new EventTable("no-such-event-table"));
            QueryFunction container = side.container(ViewCache.none(), clock, missingTables);

            assertProblem(send(container, get("/accounts/" + accountId)), 503, "views-unavailable");
            assertProblem(send(container, get("/dashboard")), 503, "views-unavailable");
            assertProblem(send(container, get("/accounts/" + accountId + "/events")), 503, "store-unavailable");
            assertProblem(send(container, get("/accounts/" + accountId + "?asOf=" + START)), 503, "store-unavailable");
            assertThat(side.log).anySatisfy(line -> assertThat(line).contains("\"level\":\"ERROR\"", "views-unavailable", "no-such-read-table"));
        }

        @Test
        void every_answer_is_logged_and_counted_once() {
            side.openAccount(accountId);
            side.project(account);
            QueryFunction container = container();
            side.metrics.clear();
            side.log.clear();

            send(container, get("/accounts/" + accountId).header("X-Correlation-Id", "corr-42"));
            send(container, get("/accounts/" + accountId));
            send(container, get("/accounts/" + accountId + "?minVersion=x"));

            assertThat(side.metrics).extracting(QueryFigures::status).containsExactly(200, 200, 400);
            assertThat(side.metrics.get(0).tableReads()).isEqualTo(1);
            assertThat(side.metrics.get(1).redisHits()).isEqualTo(1);
            assertThat(side.log).hasSize(3);
            assertThat(side.log.get(0)).contains("\"route\":\"GET /accounts/{id}\"", "\"subject\":\"" + account + "\"", "\"version\":1",
                    "\"source\":\"table\"", "\"correlationId\":\"corr-42\"");
            assertThat(side.log.get(1)).contains("\"source\":\"redis\"");
            assertThat(side.log.get(2)).contains("\"status\":400", "\"outcome\":\"invalid-request\"");
        }
    }
}
