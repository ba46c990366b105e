package dev.factline.functions.domains.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.catalogue.ProductCommand;
import dev.factline.catalogue.ProductView;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.command.CommandFunction;
import dev.factline.functions.http.HttpApiEvents;
import dev.factline.functions.query.QueryFunction;
import dev.factline.functions.query.QuerySettings;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.PayloadClaim;
import dev.factline.functions.store.S3BlobStore;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.store.ViewItems;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.testing.LocalS3;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A product described with 1 MiB of text, on dynalite and s3rver: the description's event is
 * claim-checked, and so is the inline view's read-table row, which holds a claim of a few bytes
 * while the view lives in the bucket. Each container (command or query) is a fresh one, so every
 * read that is not the writer's own goes to the table and the bucket.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ViewClaimsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "view-claims-it";

    private static LocalS3 s3;
    private static S3Client s3Client;
    private static EventTable events;
    private static ReadTable views;

    @BeforeAll
    static void start() {
        s3 = LocalS3.start(BUCKET);
        s3Client = s3.clientBuilder().build();
        events = new EventTable("view-claims-" + UUID.randomUUID());
        views = new ReadTable("view-claims-views-" + UUID.randomUUID());
        LocalDynamo.shared().createTable(events);
        LocalDynamo.shared().createTable(views.createTableRequest());
    }

    @AfterAll
    static void stop() {
        s3Client.close();
        s3.close();
    }

    /** A container's claim checks: the function defaults, with a cache of its own. */
    private static ClaimChecks claims() {
        return ClaimChecks.in(new S3BlobStore(BUCKET, () -> s3.clientBuilder().build()), StoreLimits.DEFAULT_MAX_PAYLOAD_BYTES,
                ClaimChecks.DEFAULT_MAX_PAYLOAD_BYTES, ClaimChecks.DEFAULT_CACHE_BYTES);
    }

    private static DynamoDbEventStore store() {
        return new DynamoDbEventStore(LocalDynamo.shared().client(), events, views, StoreLimits.defaults(), Clock.systemUTC())
                .withClaimChecks(claims());
    }

    private static CommandFunction commandContainer() {
        return new CommandFunction(store(), Clock.systemUTC(), IdGenerator.random(), WritePolicy.defaults());
    }

    private static QueryFunction queryContainer() {
        return new QueryFunction(LocalDynamo.shared().client(), QuerySettings.of(views, events).withClaimChecks(claims()), ViewCache.none(),
                Clock.systemUTC());
    }

    private static String created() {
        String product = "p-" + UUID.randomUUID();
        APIGatewayV2HTTPResponse answer = commandContainer().handleRequest(HttpApiEvents.post("/products").json("""
                {"productId": "%s", "sku": "%s", "name": "Kettle", "stock": 10}""".formatted(product, "K-" + UUID.randomUUID())).event(), null);
        assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(201);
        return product;
    }

    private static APIGatewayV2HTTPResponse describe(String product, String description) throws Exception {
        return commandContainer().handleRequest(HttpApiEvents.post("/products/" + product + "/description")
                .json(JSON.writeValueAsString(Map.of("description", description))).event(), null);
    }

    private static APIGatewayV2HTTPResponse get(String path) {
        return queryContainer().handleRequest(HttpApiEvents.request("GET", path).event(), null);
    }

    private static Map<String, AttributeValue> row(String product) {
        return LocalDynamo.shared().client().getItem(get -> get.tableName(views.name())
                .key(Map.of(ReadTable.PARTITION_KEY, AttributeValue.fromS(ProductView.MODEL.rowKey(Products.TYPE.streamId(product)))))
                .consistentRead(true)).item();
    }

    /** About 1 MiB of text with quotes, newlines and letters outside ASCII, as a product page has. */
    private static String mebibyteOfText() {
        StringBuilder text = new StringBuilder();
        int bytes = 0;
        for (int line = 0; bytes < ProductCommand.MAX_DESCRIPTION_BYTES - 200; line++) {
            String next = "Line " + line + ": a \"kettle\" for caf\u00e9s.\n";
            text.append(next);
            bytes += next.getBytes(StandardCharsets.UTF_8).length;
        }
        return text.toString();
    }

    @Test
    void a_1_mib_description_is_served_whole_while_its_row_holds_only_a_claim() throws Exception {
        String product = created();
        String description = mebibyteOfText();

        APIGatewayV2HTTPResponse described = describe(product, description);
        Map<String, AttributeValue> stored = row(product);
        JsonNode view = JSON.readTree(get("/products/" + product).getBody());
        APIGatewayV2HTTPResponse reserved = commandContainer().handleRequest(HttpApiEvents.post("/products/" + product + "/reservations")
                .json("{\"reservationId\": \"r-1\", \"quantity\": 4}").event(), null);
        JsonNode afterReserve = JSON.readTree(get("/products/" + product).getBody());

        assertThat(described.getStatusCode()).as(described.getBody()).isEqualTo(200);
        assertThat(stored.get(ReadTable.VIEW).hasM()).as("the row holds a claim, not the view").isTrue();
        PayloadClaim claim = PayloadClaim.fromAttribute(stored.get(ReadTable.VIEW), "the row");
        assertThat(claim.bytes()).isGreaterThan(ViewItems.THRESHOLD_BYTES);
        byte[] blob = s3Client.getObjectAsBytes(get -> get.bucket(BUCKET).key(claim.key(PayloadClaim.VIEWS))).asByteArray();
        assertThat(JSON.readTree(claim.verified(blob, "the view")).get("description").asText()).isEqualTo(description);
        assertThat(view.get("description").asText()).isEqualTo(description);
        assertThat(view.get("version").asLong()).isEqualTo(2);
        assertThat(reserved.getStatusCode()).as(reserved.getBody()).isEqualTo(200);
        assertThat(afterReserve.get("version").asLong()).as("a cold container folded onto the claimed row").isEqualTo(3);
        assertThat(afterReserve.get("available").asInt()).isEqualTo(6);
        assertThat(afterReserve.get("description").asText()).isEqualTo(description);
    }

    @Test
    void a_small_description_stays_in_its_row() throws Exception {
        String product = created();

        assertThat(describe(product, "A white kettle.").getStatusCode()).isEqualTo(200);

        assertThat(row(product).get(ReadTable.VIEW).s()).contains("\"description\":\"A white kettle.\"");
    }

    @Test
    void a_claimed_view_whose_blob_is_replaced_is_refused_naming_its_row_never_served() throws Exception {
        String product = created();
        assertThat(describe(product, mebibyteOfText()).getStatusCode()).isEqualTo(200);
        PayloadClaim claim = PayloadClaim.fromAttribute(row(product).get(ReadTable.VIEW), "the row");
        s3Client.putObject(put -> put.bucket(BUCKET).key(claim.key(PayloadClaim.VIEWS)),
                RequestBody.fromString("{\"description\":\"forged\"}", StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse answer = get("/products/" + product);

        assertThat(answer.getStatusCode()).isEqualTo(500);
        assertThat(answer.getBody()).contains("/problems/payload-tampered")
                .contains(ProductView.MODEL.rowKey(Products.TYPE.streamId(product))).doesNotContain("forged");
    }

    @Test
    void a_description_one_byte_over_1_mib_is_a_400_naming_it_and_a_larger_body_a_413_and_neither_writes() throws Exception {
        String product = created();
        String tooLong = "\u00e9".repeat(ProductCommand.MAX_DESCRIPTION_BYTES / 2) + "x";

        APIGatewayV2HTTPResponse overLimit = describe(product, tooLong);
        APIGatewayV2HTTPResponse overBody = describe(product, "d".repeat(CatalogueDomain.DESCRIPTION_BODY_BYTES));

        assertThat(overLimit.getStatusCode()).isEqualTo(400);
        assertThat(overLimit.getBody()).contains("/description").contains("at most 1048576 bytes of UTF-8, but was 1048577");
        assertThat(overBody.getStatusCode()).isEqualTo(413);
        JsonNode view = JSON.readTree(get("/products/" + product).getBody());
        assertThat(view.get("version").asLong()).as("nothing was appended").isEqualTo(1);
        assertThat(view.path("description").isMissingNode() || view.get("description").isNull()).isTrue();
    }
}
