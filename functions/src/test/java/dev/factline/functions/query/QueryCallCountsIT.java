package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewCache;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What a query costs, counted: DynamoDB calls by an SDK interceptor on a real (dynalite) server,
 * Redis calls by a counting wrapper around the real Redis cache. Each test first warms the
 * container (its first use of Redis reads the cache repair list, once per interval), then counts
 * one request.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryCallCountsIT {

    private static QueryFixture side;
    private static RedisViewCache redisCache;

    private final ManualClock clock = new ManualClock(START);
    private final CountingViewCache redis = new CountingViewCache(redisCache);
    private final String accountId = "a-" + UUID.randomUUID();
    private final StreamId account = StreamId.of("account", accountId);
    private QueryFunction container;

    @BeforeAll
    static void deploy() {
        side = QueryFixture.create("counts");
        redisCache = new RedisViewCache(RedisViewCache.client(LocalRedis.shared().uri(), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                Duration.ofHours(1));
    }

    @AfterAll
    static void closeRedis() {
        redisCache.close();
    }

    @BeforeEach
    void a_projected_account_and_a_warm_container() {
        side.openAccount(accountId);
        side.project(account);
        // The repair list is read every 10 s: a clock moved by 1 s expires the dashboard's LRU entry and nothing else.
        container = side.container(redis, clock, side.settings().withRepairCheck(Duration.ofSeconds(10)));
        assertThat(send(container, get("/accounts/a-warming-up")).getStatusCode()).isEqualTo(404);
        resetCounts();
    }

    private void resetCounts() {
        side.calls.reset();
        redis.reset();
    }

    private APIGatewayV2HTTPResponse counted(String target) {
        resetCounts();
        APIGatewayV2HTTPResponse response = send(container, get(target));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return response;
    }

    @Test
    void a_miss_costs_one_get_item_one_redis_get_and_one_redis_fill() {
        counted("/accounts/" + accountId);

        assertThat(side.calls.calls()).isEqualTo(Map.of("GetItem", 1));
        assertThat(redis.gets.get()).isEqualTo(1);
        assertThat(redis.puts.get()).isEqualTo(1);
    }

    @Test
    void a_redis_hit_costs_no_dynamodb_call_even_right_after_the_same_read() {
        counted("/accounts/" + accountId);

        counted("/accounts/" + accountId);

        assertThat(side.calls.total()).isZero();
        assertThat(redis.gets.get()).isEqualTo(1);
        assertThat(redis.puts.get()).isZero();
    }

    @Test
    void the_repair_list_is_read_once_per_interval_before_redis_is_used() {
        counted("/accounts/" + accountId);
        clock.advance(Duration.ofSeconds(10));

        counted("/accounts/" + accountId);
        int afterTheInterval = side.calls.total();
        clock.advance(Duration.ofSeconds(1));
        counted("/accounts/" + accountId);

        assertThat(afterTheInterval).as("the repair list, then a Redis hit").isEqualTo(1);
        assertThat(side.calls.total()).as("within the interval: a Redis hit alone").isZero();
    }

    @Test
    void read_after_write_past_the_caches_costs_one_query_and_caches_what_it_rebuilt() {
        counted("/accounts/" + accountId);
        side.deposit(accountId, 10);

        APIGatewayV2HTTPResponse fresh = counted("/accounts/" + accountId + "?minVersion=2");

        assertThat(fresh.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(side.calls.calls()).isEqualTo(Map.of("Query", 1));
        assertThat(redis.puts.get()).isEqualTo(1);
        counted("/accounts/" + accountId + "?minVersion=2");
        assertThat(side.calls.total()).as("then met by Redis").isZero();
    }

    @Test
    void at_the_version_a_cache_holds_costs_nothing_and_elsewhere_one_query() {
        side.deposit(accountId, 10);
        side.project(account);
        counted("/accounts/" + accountId);

        counted("/accounts/" + accountId + "?atVersion=2");
        int atTheCachedVersion = side.calls.total();
        counted("/accounts/" + accountId + "?atVersion=1");

        assertThat(atTheCachedVersion).isZero();
        assertThat(side.calls.calls()).isEqualTo(Map.of("Query", 1));
    }

    @Test
    void as_of_an_instant_costs_one_query_and_no_cache() {
        counted("/accounts/" + accountId + "?asOf=" + side.commandClock.instant());

        assertThat(side.calls.calls()).isEqualTo(Map.of("Query", 1));
        assertThat(redis.total()).isZero();
    }

    @Test
    void the_dashboard_costs_one_batch_get_then_nothing_while_its_lru_entry_lives_and_never_touches_redis() {
        counted("/dashboard");
        Map<String, Integer> first = side.calls.calls();
        counted("/dashboard");
        int whileCached = side.calls.total();
        clock.advance(Duration.ofSeconds(1));
        counted("/dashboard");

        assertThat(first).isEqualTo(Map.of("BatchGetItem", 1));
        assertThat(whileCached).isZero();
        assertThat(side.calls.calls()).isEqualTo(Map.of("BatchGetItem", 1));
        assertThat(redis.total()).isZero();
    }

    @Test
    void a_page_of_a_list_costs_one_query() {
        counted("/customers/c-1/orders");
        assertThat(side.calls.calls()).isEqualTo(Map.of("Query", 1));

        counted("/accounts/" + accountId + "/events");
        assertThat(side.calls.calls()).isEqualTo(Map.of("Query", 1));
        assertThat(redis.total()).isZero();
    }

    @Test
    void without_redis_a_miss_is_one_get_item_from_the_first_request_on() {
        QueryFunction withoutRedis = side.container(ViewCache.none(), clock);
        side.calls.reset();

        assertThat(send(withoutRedis, get("/accounts/" + accountId)).getStatusCode()).isEqualTo(200);

        assertThat(side.calls.calls()).isEqualTo(Map.of("GetItem", 1));
    }
}
