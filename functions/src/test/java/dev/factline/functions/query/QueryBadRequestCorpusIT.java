package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFunctionIT.assertProblem;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.json;
import static dev.factline.functions.query.QueryFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.view.RedisViewCache;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a query can be malformed, each refused with its problem before anything is read or
 * written: no DynamoDB call, no Redis call, the read table, the event table and Redis as they
 * were. The streams the rows name exist, so a row is refused for its mistake, not for a
 * missing stream.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryBadRequestCorpusIT {

    private static final String CURSOR_OF_ANOTHER_STREAM = Cursor.encode("account#a-2/events", "1");
    private static final String CURSOR_NOT_A_VERSION = Cursor.encode("account#a-1/events", "first");
    private static final String CURSOR_NOT_A_PLACED_KEY = Cursor.encode("customer#c-1/orders", "yesterday#o-1");
    private static final String LEAKS = "(?s).*(Exception|\\.java\\b|[Jj]ackson|\\bat [\\w.$]+\\().*";

    private static QueryFixture side;
    private static LocalRedis ownRedis;
    private static RedisViewCache redisCache;
    private static CountingViewCache redis;
    private static QueryFunction container;
    private static long readItems;
    private static long eventItems;
    private static long redisKeys;

    @BeforeAll
    static void account_a_1_and_order_o_1_exist_projected_and_cached() {
        side = QueryFixture.create("corpus");
        ownRedis = LocalRedis.start();
        redisCache = new RedisViewCache(RedisViewCache.client(ownRedis.uri(), Duration.ofSeconds(1), Duration.ofSeconds(1)), Duration.ofHours(1));
        redis = new CountingViewCache(redisCache);
        side.openAccount("a-1");
        side.placeOrder("o-1", "c-1", "a-1", 100, 1);
        side.project(StreamId.of("account", "a-1"));
        side.project(StreamId.of("order", "o-1"));
        container = side.container(redis, new ManualClock(START));
        assertThat(send(container, get("/accounts/a-1")).getStatusCode()).isEqualTo(200);
        readItems = side.readTableItems();
        eventItems = side.eventTableItems();
        redisKeys = ownRedis.admin().dbSize();
        assertThat(redisKeys).isEqualTo(1);
    }

    @AfterAll
    static void stopRedis() {
        redisCache.close();
        ownRedis.close();
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                // ---- routes -------------------------------------------------------------------------------------
                bad("no such resource", get("/accounts"), 404, "not-found"),
                bad("a path under a view", get("/accounts/a-1/balance"), 404, "not-found"),
                bad("a trailing slash", get("/accounts/a-1/"), 404, "not-found"),
                bad("another method", QueryEvents.request("POST", "/accounts/a-1"), 405, "method-not-allowed"),
                bad("DELETE on a history", QueryEvents.request("DELETE", "/orders/o-1/events"), 405, "method-not-allowed"),
                // ---- ids in the path ---------------------------------------------------------------------------
                bad("an escaped space", get("/accounts/a%201"), 400, "invalid-request"),
                bad("an escaped hash", get("/accounts/a%231/events"), 400, "invalid-request"),
                bad("an id starting with a dash", get("/orders/-o-1"), 400, "invalid-request"),
                bad("an id of 129 characters", get("/orders/" + "o".repeat(129)), 400, "invalid-request"),
                bad("a customer id with a dollar", get("/customers/c$1/orders"), 400, "invalid-request"),
                bad("a history of a bad id", get("/orders/o!1/events"), 400, "invalid-request"),
                // ---- query strings ------------------------------------------------------------------------------
                bad("an unknown parameter", get("/accounts/a-1?version=1"), 400, "invalid-request"),
                bad("a parameter in the wrong case", get("/accounts/a-1?minversion=1"), 400, "invalid-request"),
                bad("any parameter on the dashboard", get("/dashboard?statuses=PAID"), 400, "invalid-request"),
                bad("a view's parameter on a history", get("/accounts/a-1/events?atVersion=1"), 400, "invalid-request"),
                bad("a malformed escape", get("/accounts/a-1?minVersion=%2"), 400, "invalid-request"),
                bad("an escape that is not hex", get("/accounts/a-1?min%zzVersion=1"), 400, "invalid-request"),
                bad("escapes that are not UTF-8", get("/accounts/a-1?minVersion=%ff%fe"), 400, "invalid-request"),
                // ---- minVersion ----------------------------------------------------------------------------------
                bad("minVersion 0", get("/accounts/a-1?minVersion=0"), 400, "invalid-request"),
                bad("minVersion negative", get("/accounts/a-1?minVersion=-1"), 400, "invalid-request"),
                bad("minVersion a word", get("/accounts/a-1?minVersion=latest"), 400, "invalid-request"),
                bad("minVersion a decimal", get("/accounts/a-1?minVersion=1.5"), 400, "invalid-request"),
                bad("minVersion in exponent form", get("/accounts/a-1?minVersion=1e3"), 400, "invalid-request"),
                bad("minVersion with a plus", get("/accounts/a-1?minVersion=%2B1"), 400, "invalid-request"),
                bad("minVersion empty", get("/accounts/a-1?minVersion="), 400, "invalid-request"),
                bad("minVersion without a value", get("/accounts/a-1?minVersion"), 400, "invalid-request"),
                bad("minVersion of 19 digits", get("/accounts/a-1?minVersion=9999999999999999999"), 400, "invalid-request"),
                bad("minVersion twice", get("/accounts/a-1?minVersion=1&minVersion=2"), 400, "invalid-request"),
                bad("minVersion twice, the same", get("/orders/o-1?minVersion=1&minVersion=1"), 400, "invalid-request"),
                bad("Min-Version a word", get("/accounts/a-1").header("Min-Version", "latest"), 400, "invalid-request"),
                bad("Min-Version 0", get("/accounts/a-1").header("Min-Version", "0"), 400, "invalid-request"),
                bad("Min-Version a weak tag", get("/accounts/a-1").header("Min-Version", "W/\"1\""), 400, "invalid-request"),
                bad("Min-Version and minVersion", get("/accounts/a-1?minVersion=1").header("Min-Version", "1"), 400, "invalid-request"),
                // ---- consistent ---------------------------------------------------------------------------------
                bad("consistent yes", get("/accounts/a-1?consistent=yes"), 400, "invalid-request"),
                bad("consistent TRUE", get("/accounts/a-1?consistent=TRUE"), 400, "invalid-request"),
                bad("consistent 1", get("/orders/o-1?consistent=1"), 400, "invalid-request"),
                // ---- atVersion and asOf -------------------------------------------------------------------------
                bad("atVersion 0", get("/accounts/a-1?atVersion=0"), 400, "invalid-request"),
                bad("atVersion a word", get("/orders/o-1?atVersion=first"), 400, "invalid-request"),
                bad("asOf a word", get("/accounts/a-1?asOf=yesterday"), 400, "invalid-request"),
                bad("asOf a date", get("/accounts/a-1?asOf=2026-03-01"), 400, "invalid-request"),
                bad("asOf without an offset", get("/accounts/a-1?asOf=2026-03-01T10:00:00"), 400, "invalid-request"),
                bad("asOf a month 13", get("/accounts/a-1?asOf=2026-13-01T10:00:00Z"), 400, "invalid-request"),
                bad("asOf epoch seconds", get("/accounts/a-1?asOf=1772359200"), 400, "invalid-request"),
                bad("asOf an offset's plus read as a space", get("/accounts/a-1?asOf=2026-03-01T10:00:00%2001:00"), 400, "invalid-request"),
                bad("asOf empty", get("/orders/o-1?asOf="), 400, "invalid-request"),
                // ---- combinations -------------------------------------------------------------------------------
                bad("minVersion and atVersion", get("/accounts/a-1?minVersion=1&atVersion=1"), 400, "invalid-request"),
                bad("atVersion and asOf", get("/accounts/a-1?atVersion=1&asOf=2026-03-01T10:00:00Z"), 400, "invalid-request"),
                bad("minVersion and asOf", get("/orders/o-1?minVersion=1&asOf=2026-03-01T10:00:00Z"), 400, "invalid-request"),
                bad("consistent and atVersion", get("/accounts/a-1?consistent=true&atVersion=1"), 400, "invalid-request"),
                bad("consistent=false and asOf", get("/accounts/a-1?consistent=false&asOf=2026-03-01T10:00:00Z"), 400, "invalid-request"),
                bad("Min-Version and atVersion", get("/accounts/a-1?atVersion=1").header("Min-Version", "1"), 400, "invalid-request"),
                // ---- If-None-Match ------------------------------------------------------------------------------
                bad("If-None-Match unquoted", get("/accounts/a-1").header("If-None-Match", "1"), 400, "invalid-request"),
                bad("If-None-Match weak unquoted", get("/accounts/a-1").header("If-None-Match", "W/1"), 400, "invalid-request"),
                bad("If-None-Match without a comma", get("/accounts/a-1").header("If-None-Match", "\"1\" \"2\""), 400, "invalid-request"),
                bad("If-None-Match star in a list", get("/accounts/a-1").header("If-None-Match", "*, \"1\""), 400, "invalid-request"),
                bad("If-None-Match unterminated", get("/dashboard").header("If-None-Match", "\"1"), 400, "invalid-request"),
                bad("If-None-Match empty", get("/dashboard").header("If-None-Match", ""), 400, "invalid-request"),
                bad("If-None-Match only commas", get("/accounts/a-1/events").header("If-None-Match", " , ,"), 400, "invalid-request"),
                bad("If-None-Match a space inside", get("/accounts/a-1").header("If-None-Match", "\"a b\""), 400, "invalid-request"),
                // ---- limit and after ----------------------------------------------------------------------------
                bad("limit 0", get("/accounts/a-1/events?limit=0"), 400, "invalid-request"),
                bad("limit 101", get("/accounts/a-1/events?limit=101"), 400, "invalid-request"),
                bad("limit negative", get("/customers/c-1/orders?limit=-5"), 400, "invalid-request"),
                bad("limit a decimal", get("/customers/c-1/orders?limit=2.0"), 400, "invalid-request"),
                bad("limit empty", get("/orders/o-1/events?limit="), 400, "invalid-request"),
                bad("limit of many digits", get("/orders/o-1/events?limit=00000000001"), 400, "invalid-request"),
                bad("after not base64", get("/accounts/a-1/events?after=!!!"), 400, "invalid-request"),
                bad("after base64 of something else", get("/accounts/a-1/events?after=Zm9v"), 400, "invalid-request"),
                bad("after empty", get("/accounts/a-1/events?after="), 400, "invalid-request"),
                bad("after too long", get("/accounts/a-1/events?after=" + "A".repeat(600)), 400, "invalid-request"),
                bad("after of another stream", get("/accounts/a-1/events?after=" + CURSOR_OF_ANOTHER_STREAM), 400, "invalid-request"),
                bad("after of another list", get("/customers/c-1/orders?after=" + CURSOR_OF_ANOTHER_STREAM), 400, "invalid-request"),
                bad("after naming no version", get("/accounts/a-1/events?after=" + CURSOR_NOT_A_VERSION), 400, "invalid-request"),
                bad("after naming no order", get("/customers/c-1/orders?after=" + CURSOR_NOT_A_PLACED_KEY), 400, "invalid-request"),
                bad("after twice", get("/accounts/a-1/events?after=a&after=b"), 400, "invalid-request"));
    }

    private static Arguments bad(String name, QueryEvents.Request request, int status, String slug) {
        return arguments(named(name, request), status, slug);
    }

    private static Named<QueryEvents.Request> named(String name, QueryEvents.Request request) {
        return Named.of(name + " (" + request + ")", request);
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void is_refused_with_its_problem_before_any_read_or_write(QueryEvents.Request request, int status, String slug) {
        side.calls.reset();
        redis.reset();

        APIGatewayV2HTTPResponse response = send(container, request);

        assertProblem(response, status, slug);
        assertThat(response.getBody()).doesNotMatch(LEAKS).hasSizeLessThan(1_500);
        assertThat(json(response).get("instance").asText()).isNotBlank();
        assertThat(side.calls.calls()).as("DynamoDB calls").isEmpty();
        assertThat(redis.total()).as("Redis calls").isZero();
        assertThat(ownRedis.admin().dbSize()).as("Redis keys").isEqualTo(redisKeys);
        assertThat(side.readTableItems()).as("read table items").isEqualTo(readItems);
        assertThat(side.eventTableItems()).as("event table items").isEqualTo(eventItems);
    }

    @Test
    void the_corpus_holds_more_than_seventy_rows_and_a_good_request_still_reads() {
        assertThat(corpus().count()).isGreaterThan(70);
        assertThat(send(container, get("/accounts/a-1?minVersion=1")).getStatusCode()).isEqualTo(200);
    }
}
