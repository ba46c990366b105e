package dev.factline.functions.personal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.projector.ProjectorFunction;
import dev.factline.functions.projector.ProjectorMetrics;
import dev.factline.functions.publisher.KinesisRecordSink;
import dev.factline.functions.publisher.PublishLimits;
import dev.factline.functions.publisher.PublishPolicy;
import dev.factline.functions.publisher.PublisherFunction;
import dev.factline.functions.publisher.PublisherMetrics;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.query.QuerySettings;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.CallCounter;
import dev.factline.functions.testing.CountingMasterKey;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalKinesis;
import dev.factline.functions.testing.LocalRedis;
import dev.factline.functions.testing.StreamTap;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.RedisViewCache;
import dev.factline.functions.view.ViewCache;
import dev.factline.personal.SealedText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Personal data through the whole pipeline on real local servers: the command function sealing
 * with keys kept in dynalite and wrapped by a master key file, the real projector writing the read
 * table and Redis from the table's stream, the publisher writing kinesalite, and query containers
 * (each with its own key cache) reading it all back; then the subject forgotten.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PersonalDataIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDynamo DYNAMO = LocalDynamo.shared();
    private static final Pattern SEALED = Pattern.compile(Pattern.quote(SealedText.PREFIX) + "A256GCM/[0-9a-f-]+/[A-Za-z0-9._:-]+/[A-Za-z0-9_-]+");

    @TempDir
    Path folder;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String customer = "c-" + run;
    private final String name = "Ada Lovelace " + run;
    private final String email = "ada." + run + "@example.org";
    private final String address = "12 Analytical Row " + run + ", London";
    private final EventTable eventTable = new EventTable("personal-events-" + run);
    private final ReadTable readTable = new ReadTable("personal-views-" + run);
    private final String kinesisStream = "personal-published-" + run;
    private final CallCounter calls = new CallCounter();
    private final DynamoDbClient counted = DYNAMO.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(calls)).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private StreamTap tap;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        counted.close();
    }

    @Test
    void a_forgotten_subject_reads_as_erased_on_every_path_while_balances_and_histories_stay_and_nothing_ever_held_the_plain_values()
            throws IOException {
        start();
        CountingMasterKey master = new CountingMasterKey(new FileMasterKey(folder.resolve("master.key")));
        CommandFunction commands = commands(new SubjectKeyTable(counted, eventTable, master, Clock.systemUTC()));
        JsonNode opened = body(send(commands, HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-" + run + "\",\"ownerId\":\"" + customer
                + "\",\"currency\":\"EUR\",\"holderName\":\"" + name + "\",\"holderEmail\":\"" + email + "\"}"), 201));
        assertThat(opened.at("/events/0/data/holderName").asText()).as("the command's answer shows what was decided").isEqualTo(name);
        send(commands, HttpApiEvents.post("/accounts/a-" + run + "/deposits").json("{\"amount\":{\"minorUnits\":5000,\"currency\":\"EUR\"}}"), 200);
        placeOrder(commands, "o1-" + run);
        placeOrder(commands, "o2-" + run);
        assertThat(master.issued()).as("one data key for the subject, issued once").isEqualTo(1);
        assertThat(master.unwrapped()).as("a warm command function asks the master key nothing").isZero();
        deliverStream();

        QueryFunction before = query();
        assertThat(get(before, "/accounts/a-" + run).path("holderName").asText()).isEqualTo(name);
        assertThat(get(before, "/orders/o1-" + run).path("deliveryAddress").asText()).isEqualTo(address);
        assertThat(get(before, "/accounts/a-" + run + "/events").at("/events/0/data/holderEmail").asText()).isEqualTo(email);
        assertThat(storedEverywhere()).as("tables, Redis and Kinesis hold only sealed text").doesNotContain(name, email, address)
                .contains(SealedText.PREFIX);

        JsonNode forgotten = body(send(commands, HttpApiEvents.request("DELETE", "/subjects/" + customer + "/personal-data"), 200));
        assertThat(forgotten.at("/events/0/type").asText()).isEqualTo("PersonalDataForgotten");
        JsonNode again = body(send(commands, HttpApiEvents.request("DELETE", "/subjects/" + customer + "/personal-data"), 200));
        assertThat(again.get("events")).as("forgetting twice records nothing new").isEmpty();
        assertThat(again.get("version").asLong()).isEqualTo(1);

        // The container that read the plain values before, its key cache warm, reads them erased now: no projector run in between.
        for (QueryFunction container : List.of(before, query())) {
            JsonNode account = get(container, "/accounts/a-" + run);
            assertThat(account.path("holderName").asText()).isEqualTo(SealedText.ERASED);
            assertThat(account.path("holderEmail").asText()).isEqualTo(SealedText.ERASED);
            assertThat(account.at("/balance/minorUnits").asLong()).isEqualTo(5000);
            assertThat(account.path("version").asLong()).isEqualTo(2);
            assertThat(get(container, "/orders/o1-" + run).path("deliveryAddress").asText()).isEqualTo(SealedText.ERASED);
            assertThat(get(container, "/customers/" + customer + "/orders").toString()).doesNotContain(address).contains(SealedText.ERASED);
            JsonNode history = get(container, "/accounts/a-" + run + "/events");
            assertThat(history.get("events")).hasSize(2);
            assertThat(history.at("/events/0/data/holderName").asText()).isEqualTo(SealedText.ERASED);
            assertThat(get(container, "/accounts/a-" + run + "?atVersion=1").path("holderName").asText()).isEqualTo(SealedText.ERASED);
            assertThat(get(container, "/accounts/a-" + run + "?asOf=2099-01-01T00:00:00Z").path("holderEmail").asText()).isEqualTo(SealedText.ERASED);
            assertThat(get(container, "/accounts/a-" + run + "?consistent=true").path("holderName").asText()).isEqualTo(SealedText.ERASED);
            assertThat(get(container, "/subjects/" + customer + "/events").at("/events/0/type").asText()).isEqualTo("PersonalDataForgotten");
        }
        // A read model rebuilt later: a projector refolds the whole stream into an empty read table, which a container then serves.
        ReadTable rebuilt = new ReadTable("personal-rebuilt-" + run);
        DYNAMO.createTable(rebuilt.createTableRequest());
        try (StreamTap fromStart = StreamTap.atStart(DYNAMO, eventTable.name())) {
            assertThat(new ProjectorFunction(DYNAMO.client(), rebuilt, eventTable, ViewCache.none(), Clock.systemUTC(), ProjectorMetrics.none())
                    .handleRequest(commitsOf(fromStart.drainAll()), null).getBatchItemFailures()).isEmpty();
        }
        QueryFunction onRebuilt = new QueryFunction(counted, new SubjectKeyTable(counted, eventTable, new FileMasterKey(folder.resolve("master.key")),
                Clock.systemUTC()), QuerySettings.of(rebuilt, eventTable), ViewCache.none(), Clock.systemUTC());
        assertThat(get(onRebuilt, "/orders/o2-" + run).path("deliveryAddress").asText()).isEqualTo(SealedText.ERASED);
        assertThat(get(onRebuilt, "/accounts/a-" + run).at("/balance/minorUnits").asLong()).isEqualTo(5000);
        deliverStream();
        assertThat(storedEverywhere()).doesNotContain(name, email, address);
    }

    @Test
    void a_tag_given_with_the_plain_values_no_longer_matches_once_they_read_erased_so_no_client_is_told_its_copy_is_current() {
        start();
        SubjectKeyTable keys = new SubjectKeyTable(counted, eventTable, new FileMasterKey(folder.resolve("master.key")), Clock.systemUTC());
        CommandFunction commands = commands(keys);
        send(commands, HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-" + run + "\",\"ownerId\":\"" + customer
                + "\",\"currency\":\"EUR\",\"holderName\":\"" + name + "\"}"), 201);
        deliverStream();
        QueryFunction query = query();
        List<String> paths = List.of("/accounts/a-" + run, "/accounts/a-" + run + "/events");
        Map<String, String> plainTags = new HashMap<>();
        for (String path : paths) {
            APIGatewayV2HTTPResponse plain = conditionalGet(query, path, null);
            assertThat(plain.getBody()).contains(name);
            plainTags.put(path, plain.getHeaders().get("ETag"));
            assertThat(conditionalGet(query, path, plainTags.get(path)).getStatusCode()).as("%s: the plain copy is current", path).isEqualTo(304);
        }

        send(commands, HttpApiEvents.request("DELETE", "/subjects/" + customer + "/personal-data"), 200);

        for (String path : paths) {
            APIGatewayV2HTTPResponse erased = conditionalGet(query, path, plainTags.get(path));
            assertThat(erased.getStatusCode()).as("%s: a plain copy is stale once its values are erased", path).isEqualTo(200);
            assertThat(erased.getBody()).doesNotContain(name).contains(SealedText.ERASED);
            String erasedTag = erased.getHeaders().get("ETag");
            assertThat(erasedTag).isNotEqualTo(plainTags.get(path)).startsWith("W/");
            assertThat(conditionalGet(query, path, erasedTag).getStatusCode()).as("%s: the erased copy is current", path).isEqualTo(304);
        }
    }

    @Test
    void forgetting_a_subject_that_never_had_personal_data_is_404_and_writes_nothing() throws IOException {
        start();
        CommandFunction commands = commands(new SubjectKeyTable(counted, eventTable, new FileMasterKey(folder.resolve("master.key")),
                Clock.systemUTC()));

        APIGatewayV2HTTPResponse answer = commands.handleRequest(HttpApiEvents.request("DELETE", "/subjects/nobody/personal-data").event(), null);

        assertThat(answer.getStatusCode()).isEqualTo(404);
        assertThat(answer.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(body(answer).path("type").asText()).isEqualTo("https://factline.dev/problems/not-found");
        assertThat(DYNAMO.client().scan(s -> s.tableName(eventTable.name())).items()).isEmpty();
    }

    @Test
    void a_tampered_ciphertext_is_an_error_naming_the_event_and_never_wrong_data() throws IOException {
        start();
        SubjectKeyTable keys = new SubjectKeyTable(counted, eventTable, new FileMasterKey(folder.resolve("master.key")), Clock.systemUTC());
        send(commands(keys), HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-" + run + "\",\"ownerId\":\"" + customer
                + "\",\"currency\":\"EUR\",\"holderName\":\"" + name + "\"}"), 201);
        Map<String, AttributeValue> item = DYNAMO.client().getItem(g -> g.tableName(eventTable.name())
                .key(Map.of(EventTable.PARTITION_KEY, AttributeValue.fromS("account#a-" + run), EventTable.SORT_KEY, AttributeValue.fromN("1")))).item();
        Matcher found = SEALED.matcher(item.toString());
        assertThat(found.find()).as("sealed text in %s", item).isTrue();
        String sealed = found.group();
        // One character of the ciphertext changed (not the last, whose low bits may be padding): still well-formed, no longer what was sealed.
        int changed = sealed.lastIndexOf('/') + 20;
        String tampered = sealed.substring(0, changed) + (sealed.charAt(changed) == 'A' ? 'B' : 'A') + sealed.substring(changed + 1);
        DYNAMO.client().putItem(p -> p.tableName(eventTable.name()).item(replaced(item, sealed, tampered)));

        APIGatewayV2HTTPResponse answer = query().handleRequest(HttpApiEvents.request("GET", "/accounts/a-" + run + "/events").event(), null);

        assertThat(answer.getStatusCode()).isEqualTo(500);
        JsonNode problem = body(answer);
        assertThat(problem.path("type").asText()).isEqualTo("https://factline.dev/problems/personal-data-tampered");
        assertThat(problem.path("detail").asText()).contains("event AccountOpened version 1", "/events/0/data/holderName", "integrity check");
        assertThat(answer.getBody()).doesNotContain(name);
    }

    @Test
    void a_master_key_that_cannot_be_read_is_a_503_with_retry_after_and_writes_nothing() throws IOException {
        start();
        Path unreadable = Files.createDirectories(folder.resolve("not-a-key-file"));
        CommandFunction commands = commands(new SubjectKeyTable(counted, eventTable, new FileMasterKey(unreadable), Clock.systemUTC()));

        APIGatewayV2HTTPResponse answer = commands.handleRequest(HttpApiEvents.post("/accounts").json("{\"accountId\":\"a-" + run
                + "\",\"ownerId\":\"" + customer + "\",\"currency\":\"EUR\",\"holderName\":\"" + name + "\"}").event(), null);

        assertThat(answer.getStatusCode()).isEqualTo(503);
        assertThat(answer.getHeaders()).containsEntry("Retry-After", "2");
        assertThat(body(answer).path("type").asText()).isEqualTo("https://factline.dev/problems/keys-unavailable");
        assertThat(DYNAMO.client().scan(s -> s.tableName(eventTable.name())).items()).as("no event, no key item").isEmpty();
    }

    // ---- the pipeline --------------------------------------------------------------------------------

    private void start() {
        DYNAMO.createTable(eventTable);
        DYNAMO.createTable(readTable.createTableRequest());
        LocalKinesis.shared().createStream(kinesisStream, 1);
        tap = StreamTap.atStart(DYNAMO, eventTable.name());
        closing.add(tap);
    }

    private CommandFunction commands(SubjectKeyTable keys) {
        return new CommandFunction(new DynamoDbEventStore(counted, eventTable, readTable, StoreLimits.defaults(), Clock.systemUTC()), keys,
                Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
    }

    /** A fresh query container: its own key cache, on Redis and the tables. */
    private QueryFunction query() {
        return new QueryFunction(counted, new SubjectKeyTable(counted, eventTable, new FileMasterKey(folder.resolve("master.key")), Clock.systemUTC()),
                QuerySettings.of(readTable, eventTable), redisCache(), Clock.systemUTC());
    }

    private ViewCache redisCache() {
        RedisClient client = RedisViewCache.client(LocalRedis.shared().uri(), Duration.ofSeconds(1), Duration.ofSeconds(1));
        closing.add(client);
        return new RedisViewCache(client, Duration.ofMinutes(5));
    }

    /** What the stream holds so far, to the projector and the publisher, as their triggers deliver it (commits only). */
    private void deliverStream() {
        DynamodbEvent batch = commitsOf(tap.drainAll());
        ProjectorFunction projector = new ProjectorFunction(DYNAMO.client(), readTable, eventTable, redisCache(), Clock.systemUTC(),
                ProjectorMetrics.none());
        assertThat(projector.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        PublisherFunction publisher = new PublisherFunction(new KinesisRecordSink(LocalKinesis.shared().client(), kinesisStream),
                PublishLimits.kinesis(), PublishPolicy.defaults(Duration.ofSeconds(5)), Clock.systemUTC(), PublisherMetrics.none());
        assertThat(publisher.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
    }

    /** The batch as the triggers' filter passes it: commits only, never key items or snapshots. */
    private static DynamodbEvent commitsOf(DynamodbEvent batch) {
        batch.setRecords(batch.getRecords().stream()
                .filter(record -> record.getDynamodb().getNewImage() != null && record.getDynamodb().getNewImage().get(EventTable.KIND) != null
                        && EventTable.COMMIT.equals(record.getDynamodb().getNewImage().get(EventTable.KIND).getS()))
                .toList());
        return batch;
    }

    private void placeOrder(CommandFunction commands, String orderId) {
        send(commands, HttpApiEvents.post("/orders").json("{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customer + "\",\"accountId\":\"a-"
                + run + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"book\",\"quantity\":1,\"unitPrice\":{\"minorUnits\":100,\"currency\":\"EUR\"}}],"
                + "\"deliveryAddress\":\"" + address + "\"}"), 201);
    }

    /** Every item of both tables, every Redis value, every Kinesis record: where a plain value could have leaked. */
    private String storedEverywhere() {
        StringBuilder all = new StringBuilder();
        DYNAMO.client().scanPaginator(s -> s.tableName(eventTable.name())).items().forEach(item -> all.append(item).append('\n'));
        DYNAMO.client().scanPaginator(s -> s.tableName(readTable.name())).items().forEach(item -> all.append(item).append('\n'));
        RedisClient redis = LocalRedis.shared().admin();
        for (String key : redis.keys("*")) {
            switch (redis.type(key)) {
                case "string" -> all.append(redis.get(key)).append('\n');
                case "hash" -> all.append(redis.hgetAll(key)).append('\n');
                default -> all.append(key).append('\n');
            }
        }
        LocalKinesis.recordsByShard(LocalKinesis.shared().client(), kinesisStream).values().forEach(records -> records.forEach(
                record -> all.append(record.data().asUtf8String()).append('\n')));
        return all.toString();
    }

    private static APIGatewayV2HTTPResponse send(CommandFunction commands, HttpApiEvents.Request request, int status) {
        APIGatewayV2HTTPResponse answer = commands.handleRequest(request.event(), null);
        assertThat(answer.getStatusCode()).as("%s: %s", request, answer.getBody()).isEqualTo(status);
        return answer;
    }

    /** GET {@code target}, a path with at most one {@code name=value} query parameter. */
    private static JsonNode get(QueryFunction query, String target) throws IOException {
        int question = target.indexOf('?');
        APIGatewayV2HTTPEvent event = HttpApiEvents.request("GET", question < 0 ? target : target.substring(0, question)).event();
        if (question >= 0) {
            String parameter = target.substring(question + 1);
            event.setRawQueryString(parameter);
            event.setQueryStringParameters(Map.of(parameter.substring(0, parameter.indexOf('=')), parameter.substring(parameter.indexOf('=') + 1)));
        }
        APIGatewayV2HTTPResponse answer = query.handleRequest(event, null);
        assertThat(answer.getStatusCode()).as("GET %s: %s", target, answer.getBody()).isEqualTo(200);
        return body(answer);
    }

    private static APIGatewayV2HTTPResponse conditionalGet(QueryFunction query, String path, @Nullable String ifNoneMatch) {
        HttpApiEvents.Request request = HttpApiEvents.request("GET", path);
        return query.handleRequest((ifNoneMatch == null ? request : request.header("If-None-Match", ifNoneMatch)).event(), null);
    }

    private static JsonNode body(APIGatewayV2HTTPResponse answer) throws IOException {
        return JSON.readTree(answer.getBody());
    }

    private static Map<String, AttributeValue> replaced(Map<String, AttributeValue> item, String text, String by) {
        Map<String, AttributeValue> changed = new HashMap<>();
        item.forEach((attribute, value) -> changed.put(attribute, replaced(value, text, by)));
        return changed;
    }

    private static AttributeValue replaced(AttributeValue value, String text, String by) {
        if (value.s() != null) {
            return AttributeValue.fromS(value.s().replace(text, by));
        }
        if (value.hasL()) {
            return AttributeValue.fromL(value.l().stream().map(element -> replaced(element, text, by)).toList());
        }
        if (value.hasM()) {
            return AttributeValue.fromM(replaced(value.m(), text, by));
        }
        return value;
    }
}
