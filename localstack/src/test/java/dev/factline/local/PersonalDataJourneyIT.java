package dev.factline.local;

import static dev.factline.local.FactlineApi.call;
import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildProgress;
import dev.factline.functions.rebuild.RebuildTarget;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.local.FactlineApi.Answer;
import dev.factline.order.OrderView;
import dev.factline.personal.SealedText;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The journey with personal data on the running pipeline: an account opened with a name and an
 * email, orders with a delivery address paid by the saga, the customer forgotten; then no read
 * route, no rebuilt read model, no table item, no Redis entry and no Kinesis record shows the
 * plain values, while the balance and the histories stay as they were.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class PersonalDataJourneyIT {

    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private static LocalPipeline pipeline;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String customer = "customer-" + run;
    private final String account = "a-" + run;
    private final String name = "Grace Hopper " + run;
    private final String email = "grace." + run + "@example.org";
    private final String address = "1 Compiler Lane " + run;

    @BeforeAll
    static void embedded() {
        pipeline = FactlineApi.embedded();
        FactlineApi.url();
    }

    @Test
    void a_forgotten_customer_is_erased_on_every_path_while_balances_and_histories_stay_correct() throws InterruptedException {
        assertThat(post("/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"" + customer + "\",\"currency\":\"EUR\","
                + "\"holderName\":\"" + name + "\",\"holderEmail\":\"" + email + "\"}").status()).isEqualTo(201);
        assertThat(post("/accounts/" + account + "/deposits", "{\"amount\":" + eur(10_000) + "}").status()).isEqualTo(200);
        String first = placeOrder(1_500);
        String second = placeOrder(2_500);
        // The saga pays both orders from the account: the balance the forget must leave alone.
        for (String order : new String[] {first, second}) {
            eventually(CONVERGENCE, () -> get("/orders/" + order), answer -> answer.status() == 200
                    && answer.json().path("status").asText().equals("PAID"));
        }
        Answer before = eventually(CONVERGENCE, () -> get("/accounts/" + account), answer -> answer.status() == 200
                && answer.json().path("version").asLong() == 4);
        assertThat(before.json().path("holderName").asText()).isEqualTo(name);
        assertThat(get("/orders/" + first).json().path("deliveryAddress").asText()).isEqualTo(address);

        Answer forgotten = call("DELETE", "/subjects/" + customer + "/personal-data");
        assertThat(forgotten.status()).as(forgotten.toString()).isEqualTo(200);
        assertThat(forgotten.json().at("/events/0/type").asText()).isEqualTo("PersonalDataForgotten");
        assertThat(call("DELETE", "/subjects/" + customer + "/personal-data").json().path("events")).isEmpty();
        Answer unknown = call("DELETE", "/subjects/never-" + run + "/personal-data");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

        Answer after = get("/accounts/" + account);
        assertThat(after.json().path("holderName").asText()).isEqualTo(SealedText.ERASED);
        assertThat(after.json().path("holderEmail").asText()).isEqualTo(SealedText.ERASED);
        assertThat(after.json().at("/balance/minorUnits").asLong()).isEqualTo(10_000 - 1_500 - 2_500);
        assertThat(after.json().path("version").asLong()).isEqualTo(4);
        assertThat(get("/orders/" + first).json().path("deliveryAddress").asText()).isEqualTo(SealedText.ERASED);
        assertThat(get("/orders/" + second + "/events").json().at("/events/0/data/deliveryAddress").asText()).isEqualTo(SealedText.ERASED);
        assertThat(get("/orders/" + second + "/events").json().path("events").size()).isEqualTo(2);
        assertThat(get("/customers/" + customer + "/orders").body()).doesNotContain(address).contains(SealedText.ERASED);
        assertThat(get("/accounts/" + account + "?atVersion=1").json().path("holderName").asText()).isEqualTo(SealedText.ERASED);
        assertThat(get("/accounts/" + account + "/events").json().path("events").size()).isEqualTo(4);
        assertThat(get("/subjects/" + customer + "/events").json().at("/events/0/type").asText()).isEqualTo("PersonalDataForgotten");

        // The order views rebuilt from the history after the forget: erased too.
        PipelineContents.forgetEveryRowOf(pipeline, OrderView.MODEL.space() + "/");
        new Rebuild(pipeline.dynamo(), pipeline.topology().eventTable(), pipeline.topology().readTable(), Clock.systemUTC(), "test")
                .run(RebuildTarget.of(HostedReadModels.STANDARD, OrderView.MODEL.name(), OrderView.MODEL.version()),
                        new Rebuild.Settings(2, 50, 0, Duration.ofSeconds(30)), new RebuildProgress());
        Answer rebuilt = eventually(CONVERGENCE, () -> get("/orders/" + first + "?consistent=false"), answer -> answer.status() == 200);
        assertThat(rebuilt.json().path("deliveryAddress").asText()).isEqualTo(SealedText.ERASED);

        String everything = tableItems(pipeline.topology().eventTable().name()) + tableItems(pipeline.topology().readTable().name())
                + redisValues() + String.join("\n", PipelineContents.publishedRecords(pipeline));
        assertThat(everything).as("every item, entry and record the pipeline holds").doesNotContain(name, email, address);
        assertThat(everything).contains(SealedText.PREFIX + SealedText.ALGORITHM);
    }

    private String placeOrder(long price) {
        String order = "o-" + UUID.randomUUID().toString().substring(0, 12);
        Answer placed = post("/orders", "{\"orderId\":\"" + order + "\",\"customerId\":\"" + customer + "\",\"accountId\":\"" + account
                + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"book\",\"quantity\":1,\"unitPrice\":" + eur(price) + "}],"
                + "\"deliveryAddress\":\"" + address + "\"}");
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        return order;
    }

    private static String eur(long minorUnits) {
        return "{\"minorUnits\":" + minorUnits + ",\"currency\":\"EUR\"}";
    }

    private static String tableItems(String table) {
        StringBuilder items = new StringBuilder();
        pipeline.dynamo().scanPaginator(scan -> scan.tableName(table)).items().forEach(item -> items.append(item).append('\n'));
        return items.toString();
    }

    private static String redisValues() {
        StringBuilder values = new StringBuilder();
        try (RedisClient redis = RedisViewCache.client(pipeline.endpoints().get("Redis"), Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            for (String key : redis.keys("*")) {
                switch (redis.type(key)) {
                    case "string" -> values.append(redis.get(key));
                    case "hash" -> values.append(redis.hgetAll(key));
                    default -> values.append(key);
                }
                values.append('\n');
            }
        }
        return values.toString();
    }
}
