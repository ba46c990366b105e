package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFunctionIT.assertProblem;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.json;
import static dev.factline.functions.query.QueryFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Temporal reads against the history as it happened, over generated sequences of commands (a
 * seeded generator per run, so a failure names the seed that reproduces it): after every
 * command the stand-in projector writes the view and a plain read records what was served. Then,
 * at every version, {@code atVersion} and {@code asOf} (at the event's instant, and between two
 * events) must answer exactly that, and the balance must be the sum of what was deposited and
 * withdrawn up to it. A second batch of commands left unprojected makes the temporal reads fold
 * on from the stored view instead of replaying from version 1.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryHistoryIT {

    private static QueryFixture side;
    private static RedisViewCache redis;

    @BeforeAll
    static void deploy() {
        side = QueryFixture.create("history");
        redis = new RedisViewCache(RedisViewCache.client(LocalRedis.shared().uri(), Duration.ofSeconds(1), Duration.ofSeconds(1)),
                Duration.ofHours(1));
    }

    @AfterAll
    static void closeRedis() {
        redis.close();
    }

    /** What was served at one version, and when its event occurred. */
    private record Served(long version, Instant occurredAt, String json, long balance) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 2026, 31337})
    void temporal_reads_equal_the_history_at_every_version(long seed) {
        Random random = new Random(seed);
        String accountId = "a-" + seed + "-" + UUID.randomUUID();
        StreamId account = StreamId.of("account", accountId);
        QueryFunction live = side.container(ViewCache.none(), new ManualClock(START));
        List<Served> history = new ArrayList<>();
        long balance = 0;

        Instant at = side.commandClock.instant();
        history.add(served(live, account, side.openAccount(accountId), at, balance, true));
        int projected = 12 + random.nextInt(8);
        int unprojected = 3 + random.nextInt(4);
        for (int i = 0; i < projected + unprojected; i++) {
            at = side.commandClock.instant();
            long amount = 1 + random.nextInt(1_000);
            long version;
            if (balance > 0 && random.nextInt(3) == 0) {
                long withdrawn = 1 + Math.floorMod(random.nextLong(), balance);
                version = side.withdraw(accountId, withdrawn);
                balance -= withdrawn;
            } else {
                version = side.deposit(accountId, amount);
                balance += amount;
            }
            history.add(served(live, account, version, at, balance, i < projected));
        }

        QueryFunction temporal = side.container(redis, new ManualClock(START));
        for (Served then : history) {
            String path = "/accounts/" + accountId;
            assertThat(body(temporal, path + "?atVersion=" + then.version())).as("seed %d, atVersion=%d", seed, then.version())
                    .isEqualTo(then.json());
            assertThat(body(temporal, path + "?asOf=" + then.occurredAt())).as("seed %d, asOf the event at %d", seed, then.version())
                    .isEqualTo(then.json());
            assertThat(body(temporal, path + "?asOf=" + then.occurredAt().plusMillis(500)))
                    .as("seed %d, asOf between %d and the next", seed, then.version()).isEqualTo(then.json());
            assertThat(json(then.json()).get("balance").get("minorUnits").asLong()).as("seed %d, balance at %d", seed, then.version())
                    .isEqualTo(then.balance());
        }
        long head = history.getLast().version();
        assertProblem(send(temporal, get("/accounts/" + accountId + "?atVersion=" + (head + 1))), 404, "version-not-found");
        assertProblem(send(temporal, get("/accounts/" + accountId + "?asOf=" + history.getFirst().occurredAt().minusMillis(1))),
                404, "not-found");
    }

    /**
     * The view at {@code version} as the read side served it: projected and read plainly when the
     * projector runs, else (the projector paused) read after write, then checked against an
     * independent fold of the stored events.
     */
    private static Served served(QueryFunction live, StreamId account, long version, Instant occurredAt, long balance, boolean project) {
        if (project) {
            side.project(account);
        }
        String path = "/accounts/" + account.id() + (project ? "" : "?minVersion=" + version);
        String json = body(live, path);
        assertThat(json).isEqualTo(side.viewAt(account, version).json());
        return new Served(version, occurredAt, json, balance);
    }

    private static String body(QueryFunction container, String target) {
        APIGatewayV2HTTPResponse response = send(container, get(target));
        assertThat(response.getStatusCode()).as("%s: %s", target, response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 11, 99})
    void an_orders_history_too(long seed) {
        Random random = new Random(seed);
        String accountId = "a-" + UUID.randomUUID();
        String orderId = "o-" + seed + "-" + UUID.randomUUID();
        StreamId order = StreamId.of("order", orderId);
        side.openAccount(accountId);
        List<Instant> instants = new ArrayList<>();
        instants.add(side.commandClock.instant());
        long total = (1 + random.nextInt(50)) * 2L;
        side.placeOrder(orderId, "c-" + seed, accountId, total / 2, 2);
        if (random.nextBoolean()) {
            instants.add(side.commandClock.instant());
            side.pay(orderId, total);
        }
        instants.add(side.commandClock.instant());
        if (random.nextBoolean()) {
            side.cancel(orderId);
        } else if (instants.size() == 3) {
            side.ship(orderId);
        } else {
            side.cancel(orderId);
        }
        side.project(order);

        QueryFunction temporal = side.container(redis, new ManualClock(START));
        for (int version = 1; version <= instants.size(); version++) {
            String expected = side.viewAt(order, version).json();
            assertThat(body(temporal, "/orders/" + orderId + "?atVersion=" + version)).isEqualTo(expected);
            assertThat(body(temporal, "/orders/" + orderId + "?asOf=" + instants.get(version - 1))).isEqualTo(expected);
        }
    }
}
