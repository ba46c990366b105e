package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.ReadSide.START;
import static dev.factline.functions.query.ReadSide.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
 * Redis going away mid-run and coming back: queries never fail for it, and never serve an entry
 * that a projector listed as possibly stale. The outage is a network partition ({@link TcpCut}):
 * Redis keeps its old entries, as a real partition (or a replica promoted with older data) leaves
 * them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryCacheOutageIT {

    /** Where {@code RedisViewCache} keeps a view (its {@code KEY_PREFIX}), read here behind its back. */
    private static final String ENTRY_PREFIX = "factline:view:";

    private static ReadSide side;

    private final ManualClock clock = new ManualClock(START);
    private final String accountId = "a-" + UUID.randomUUID();
    private final StreamId account = StreamId.of("account", accountId);
    private TcpCut partition;
    private RedisViewCache throughPartition;
    private CountingViewCache redis;

    @BeforeAll
    static void deploy() {
        side = ReadSide.create("outage");
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
        assertThat(cachedVersion(account.toString())).as("filled on the miss").isEqualTo("1");

        partition.cut();
        side.deposit(accountId, 500);
        side.project(account);
        side.listForRepair(account.toString());
        clock.advance(Duration.ofSeconds(1));
        side.metrics.clear();
        APIGatewayV2HTTPResponse duringOutage = read(container);

        assertThat(duringOutage.getHeaders()).as("from the table").containsEntry("ETag", "\"2\"");
        assertThat(side.metrics.getLast().cacheFailures()).isPositive();
        assertThat(side.metrics.getLast().tableReads()).isEqualTo(1);
        assertThat(side.log.getLast()).contains("\"source\":\"table\"", "cacheFailure");

        partition.restore();
        assertThat(cachedVersion(account.toString())).as("Redis came back with the old entry").isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        APIGatewayV2HTTPResponse afterOutage = read(container);

        assertThat(afterOutage.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(cachedVersion(account.toString())).as("repaired, then filled from the table").isEqualTo("2");
        assertThat(side.listedForRepair()).doesNotContain(account.toString());
    }

    @Test
    void a_container_that_never_saw_the_outage_checks_the_repair_list_before_its_first_use_of_redis() {
        side.openAccount(accountId);
        side.project(account);
        read(side.container(redis, clock));
        partition.cut();
        side.deposit(accountId, 500);
        side.project(account);
        side.listForRepair(account.toString());
        partition.restore();
        assertThat(cachedVersion(account.toString())).isEqualTo("1");
        QueryFunction freshContainer = side.container(redis, clock);

        APIGatewayV2HTTPResponse first = read(freshContainer);
        clock.advance(Duration.ofSeconds(1));
        APIGatewayV2HTTPResponse second = read(freshContainer);

        // The first use may meet a pooled connection the partition broke (the repair then fails and waits an
        // interval); either way the stale entry is not served, and the next check repairs it.
        assertThat(first.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(second.getHeaders()).containsEntry("ETag", "\"2\"");
        assertThat(side.listedForRepair()).doesNotContain(account.toString());
        assertThat(cachedVersion(account.toString())).isNotEqualTo("1");
    }

    @Test
    void a_repair_that_meets_a_connection_broken_by_the_partition_serves_the_table_and_repairs_at_the_next_check() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction container = side.container(redis, clock, side.settings().withLru(0, Duration.ofSeconds(1)));
        read(container);
        partition.cut();
        side.deposit(accountId, 500);
        side.project(account);
        side.listForRepair(account.toString());
        partition.restore();
        clock.advance(Duration.ofSeconds(1));

        for (int i = 0; i < 3; i++) {
            assertThat(read(container).getHeaders()).containsEntry("ETag", "\"2\"");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(side.listedForRepair()).doesNotContain(account.toString());
        assertThat(cachedVersion(account.toString())).isEqualTo("2");
    }

    @Test
    void while_redis_is_away_a_container_tries_it_once_per_interval_not_once_per_request() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction withoutLru = side.container(redis, clock, side.settings().withLru(0, Duration.ofSeconds(1)));
        read(withoutLru);
        partition.cut();
        redis.reset();

        for (int i = 0; i < 5; i++) {
            read(withoutLru);
        }
        int withinOneInterval = redis.gets.get();
        clock.advance(Duration.ofSeconds(1));
        read(withoutLru);

        assertThat(withinOneInterval).isEqualTo(1);
        assertThat(redis.gets.get()).as("tried again once the interval passed").isEqualTo(2);
    }

    @Test
    void a_listed_key_is_neither_read_nor_filled_while_the_repair_cannot_run() {
        side.openAccount(accountId);
        side.project(account);
        side.listForRepair(account.toString());
        partition.cut();
        QueryFunction container = side.container(redis, clock, side.settings().withLru(0, Duration.ofSeconds(1)));

        read(container);
        partition.restore();
        redis.reset();
        read(container);

        assertThat(redis.gets.get() + redis.puts.get()).as("still listed, Redis skipped until the next check").isZero();
        assertThat(side.listedForRepair()).contains(account.toString());
        clock.advance(Duration.ofSeconds(1));
        read(container);
        assertThat(side.listedForRepair()).doesNotContain(account.toString());
    }

    @Test
    void a_stale_entry_listed_after_a_containers_check_is_served_at_most_until_its_next_check() {
        side.openAccount(accountId);
        side.project(account);
        QueryFunction withoutLru = side.container(redis, clock, side.settings().withLru(0, Duration.ofSeconds(1)));
        read(withoutLru);
        side.deposit(accountId, 500);
        side.project(account);
        side.listForRepair(account.toString());

        clock.advance(Duration.ofMillis(999));
        APIGatewayV2HTTPResponse withinTheInterval = read(withoutLru);
        clock.advance(Duration.ofMillis(1));
        APIGatewayV2HTTPResponse atTheNextCheck = read(withoutLru);

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
            QueryFunction container = side.container(ownCache, clock, side.settings().withLru(0, Duration.ofSeconds(1)));
            read(container);
            own.close();
            side.metrics.clear();

            APIGatewayV2HTTPResponse response = read(container);

            assertThat(response.getHeaders()).containsEntry("ETag", "\"1\"");
            assertThat(side.metrics.getLast().cacheFailures()).isPositive();
        }
    }
}
