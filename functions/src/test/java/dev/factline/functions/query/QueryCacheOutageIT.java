package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.account.AccountView;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.testing.TcpCut;
import dev.factline.functions.view.RedisViewCache;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Redis going away mid-run and coming back: queries never fail for it, and never trust an entry
 * written before a projector moved the cache generation. The outage is a network partition
 * ({@link TcpCut}): Redis keeps its old entries, as a real partition (or a replica promoted with
 * older data) leaves them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryCacheOutageIT {

    /** Where {@code RedisViewCache} keeps a view (its {@code KEY_PREFIX}), read here behind its back. */
    private static final String ENTRY_PREFIX = "factline:view:";

    private static QueryFixture side;

    private final ManualClock clock = new ManualClock(START);
    private final String accountId = "a-" + UUID.randomUUID();
    private final StreamId account = StreamId.of("account", accountId);
    private TcpCut partition;
    private RedisViewCache throughPartition;
    private CountingViewCache redis;

    @BeforeAll
    static void deploy() {
        side = QueryFixture.create("outage");
    }

    @BeforeEach
    void redis_behind_a_link_that_can_be_cut() {
        partition = TcpCut.to(LocalRedis.shared().port());
        throughPartition = new RedisViewCache(RedisViewCache.client(partition.redisUri(), Duration.ofMillis(200), Duration.ofMillis(200)),
                Duration.ofHours(1));
        redis = new CountingViewCache(throughPartition);
    }

    @AfterEach
    void close() {
        throughPartition.close();
        partition.close();
    }

    private static String cachedVersion(String key) {
        return LocalRedis.shared().admin().hget(ENTRY_PREFIX + key, "version");
    }

    private static String cachedGeneration(String key) {
        return LocalRedis.shared().admin().hget(ENTRY_PREFIX + key, "generation");
    }

    private APIGatewayV2HTTPResponse read(QueryFunction container) {
        APIGatewayV2HTTPResponse response = send(container, get("/accounts/" + accountId));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return response;
    }

    @Test
    void with_redis_cut_mid_run_queries_are_served_from_the_table_and_after_it_returns_no_stale_entry_is_served() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction container = side.container(redis, clock);
        read(container);
        assertThat(cachedVersion(AccountView.MODEL.rowKey(account))).as("filled on the miss").isEqualTo("1");

        partition.cut();
        side.deposit(accountId, 500);
        side.project(account);
        side.advanceCacheGeneration();
        clock.advance(Duration.ofSeconds(1));
        side.metrics.clear();
        APIGatewayV2HTTPResponse duringOutage = read(container);

        assertThat(duringOutage.getHeaders()).as("from the table").containsEntry("ETag", "\"2\"");
        assertThat(side.metrics.getLast().cacheFailures()).isPositive();
        assertThat(side.metrics.getLast().tableReads()).isEqualTo(1);
        assertThat(side.log.getLast()).contains("\"source\":\"table\"", "cacheFailure");

        partition.restore();
        assertThat(cachedVersion(AccountView.MODEL.rowKey(account))).as("Redis came back with the old entry").isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        APIGatewayV2HTTPResponse afterOutage = read(container);

        assertThat(afterOutage.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(cachedVersion(AccountView.MODEL.rowKey(account))).as("filled again from the table").isEqualTo("2");
        assertThat(cachedGeneration(AccountView.MODEL.rowKey(account))).isEqualTo(Long.toString(side.cacheGeneration()));
    }

    @Test
    void a_container_that_never_saw_the_outage_reads_the_generation_before_its_first_use_of_redis() {
        side.openAccount(accountId);
        side.project(account);
        read(side.container(redis, clock));
        partition.cut();
        side.deposit(accountId, 500);
        side.project(account);
        side.advanceCacheGeneration();
        partition.restore();
        assertThat(cachedVersion(AccountView.MODEL.rowKey(account))).isEqualTo("1");
        QueryFunction freshContainer = side.container(redis, clock);

        APIGatewayV2HTTPResponse first = read(freshContainer);
        clock.advance(Duration.ofSeconds(1));
        APIGatewayV2HTTPResponse second = read(freshContainer);

        assertThat(first.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(second.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(cachedVersion(AccountView.MODEL.rowKey(account))).isEqualTo("2");
    }

    @Test
    void a_pooled_connection_broken_by_the_partition_costs_nothing_after_it_heals() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction container = side.container(redis, clock);
        read(container);
        partition.cut();
        side.deposit(accountId, 500);
        side.project(account);
        side.advanceCacheGeneration();
        partition.restore();
        clock.advance(Duration.ofSeconds(1));
        side.metrics.clear();

        assertThat(read(container).getHeaders()).containsEntry("ETag", "\"2\"");

        assertThat(side.metrics.getLast().cacheFailures()).as("the broken connection is replaced, not reported").isZero();
        assertThat(cachedVersion(AccountView.MODEL.rowKey(account))).isEqualTo("2");
    }

    @Test
    void while_redis_is_away_a_container_tries_it_once_per_interval_not_once_per_request() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction container = side.container(redis, clock);
        read(container);
        partition.cut();
        redis.reset();

        for (int i = 0; i < 5; i++) {
            read(container);
        }
        int withinOneInterval = redis.gets.get();
        clock.advance(Duration.ofSeconds(1));
        read(container);

        assertThat(withinOneInterval).isEqualTo(1);
        assertThat(redis.gets.get()).as("tried again once the interval passed").isEqualTo(2);
    }

    @Test
    void an_entry_of_an_older_generation_is_a_miss_and_the_fill_relabels_it() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction container = side.container(redis, clock);
        read(container);
        assertThat(cachedGeneration(AccountView.MODEL.rowKey(account))).isEqualTo(Long.toString(side.cacheGeneration()));
        side.advanceCacheGeneration();
        clock.advance(Duration.ofSeconds(1));
        side.metrics.clear();

        read(container);

        assertThat(side.metrics.getLast().tableReads()).as("the old entry was not trusted").isEqualTo(1);
        assertThat(cachedGeneration(AccountView.MODEL.rowKey(account))).isEqualTo(Long.toString(side.cacheGeneration()));
        side.metrics.clear();
        read(container);
        assertThat(side.metrics.getLast().redisHits()).isEqualTo(1);
    }

    @Test
    void a_stale_entry_is_served_at_most_until_the_containers_next_generation_check() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction container = side.container(redis, clock);
        read(container);
        side.deposit(accountId, 500);
        side.project(account);
        side.advanceCacheGeneration();

        clock.advance(Duration.ofMillis(999));
        APIGatewayV2HTTPResponse withinTheInterval = read(container);
        clock.advance(Duration.ofMillis(1));
        APIGatewayV2HTTPResponse atTheNextCheck = read(container);

        assertThat(withinTheInterval.getHeaders()).as("the documented bound").containsEntry("ETag", "\"1\"");
        assertThat(atTheNextCheck.getHeaders()).containsEntry("ETag", "\"2\"");
    }

    @Test
    void with_redis_stopped_altogether_queries_are_served_from_the_table() {
        side.openAccount(accountId);
        side.project(account);
        LocalRedis own = LocalRedis.start();
        try (RedisViewCache ownCache = new RedisViewCache(RedisViewCache.client(own.uri(), Duration.ofMillis(200), Duration.ofMillis(200)),
                Duration.ofHours(1))) {
            QueryFunction container = side.container(ownCache, clock);
            read(container);
            own.close();
            side.metrics.clear();

            APIGatewayV2HTTPResponse response = read(container);

            assertThat(response.getHeaders()).containsEntry("ETag", "\"1\"");
            assertThat(side.metrics.getLast().cacheFailures()).isPositive();
        }
    }
}
