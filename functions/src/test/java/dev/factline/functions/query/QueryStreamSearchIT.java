package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.json;
import static dev.factline.functions.query.QueryFixture.send;
import static dev.factline.functions.query.QueryFunctionIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.StreamEntry;
import dev.factline.eventsourcing.StreamId;
import dev.factline.order.Orders;
import dev.factline.functions.view.ViewCache;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /streams}: each type's catalogue, written as the projector writes it (folded from the
 * stored events), searched by id prefix through the listings index, most recently changed first.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryStreamSearchIT {

    private static QueryFixture side;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /** Opened in this order, a second apart; then a-1 gets a deposit, so it changed last. */
    @BeforeAll
    static void accountsAndAnOrder() {
        side = QueryFixture.create("streams");
        for (String id : List.of("a-1", "a-2", "b-1")) {
            side.openAccount(RUN + id);
        }
        side.deposit(RUN + "a-1", 500);
        side.placeOrder(RUN + "o-1", "c-1", RUN + "a-1", 100, 1);
        for (String id : List.of("a-1", "a-2", "b-1")) {
            side.project(Accounts.TYPE.streamId(RUN + id), StreamEntry.catalogue(Accounts.TYPE));
        }
        side.project(Orders.TYPE.streamId(RUN + "o-1"), StreamEntry.catalogue(Orders.TYPE));
    }

    private static JsonNode search(String query) {
        APIGatewayV2HTTPResponse response = send(side.container(ViewCache.none(), new ManualClock(START)), get("/streams?" + query));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return json(response);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("streams").forEach(entry -> ids.add(entry.get("id").asText()));
        return ids;
    }

    @Test
    void a_prefix_finds_the_streams_it_starts_most_recently_changed_first_with_their_versions() {
        JsonNode page = search("type=account&prefix=" + RUN + "a-");

        assertThat(ids(page)).containsExactly(RUN + "a-1", RUN + "a-2");
        JsonNode first = page.get("streams").get(0);
        assertThat(first.get("streamId").asText()).isEqualTo("account#" + RUN + "a-1");
        assertThat(first.get("version").asLong()).isEqualTo(2);
        assertThat(first.get("lastEventType").asText()).isEqualTo("MoneyDeposited");
        assertThat(page.get("counts").get("account").asLong()).isEqualTo(2);
        assertThat(page.get("counts").get("order").asLong()).isZero();
        assertThat(page.has("next")).isFalse();
    }

    @Test
    void without_a_prefix_every_stream_of_the_type_is_listed_and_counted_per_type() {
        JsonNode page = search("type=order");

        assertThat(ids(page)).containsExactly(RUN + "o-1");
        assertThat(page.get("counts").get("account").asLong()).isEqualTo(3);
        assertThat(page.get("counts").get("order").asLong()).isEqualTo(1);
        assertThat(page.get("resources").get("order").asText()).isEqualTo("/orders");
        assertThat(page.get("resources").get("account").asText()).isEqualTo("/accounts");
    }

    @Test
    void without_a_type_the_first_hosted_type_is_listed() {
        assertThat(search("prefix=" + RUN).get("type").asText()).isEqualTo("account");
    }

    @Test
    void a_page_ends_with_a_next_link_that_reads_on_from_where_it_ended() {
        JsonNode first = search("type=account&limit=2");
        assertThat(ids(first)).containsExactly(RUN + "a-1", RUN + "b-1");
        String next = first.get("next").asText();

        JsonNode second = search(next.substring(next.indexOf('?') + 1));

        assertThat(ids(second)).containsExactly(RUN + "a-2");
        assertThat(second.has("next")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"type=ledger", "type=", "type=account&prefix=-a", "type=account&limit=0", "type=account&after=bm90LW1pbmU",
            "type=account&colour=blue"})
    void a_query_it_cannot_read_is_a_400_problem(String query) {
        APIGatewayV2HTTPResponse response = send(side.container(ViewCache.none(), new ManualClock(START)), get("/streams?" + query));

        assertProblem(response, 400, "invalid-request");
    }

    @Test
    void the_catalogue_position_sorts_a_later_change_first() {
        StreamEntry earlier = new StreamEntry("account#x", "x", 1, "AccountOpened", START, START);
        StreamEntry later = new StreamEntry("account#y", "y", 1, "AccountOpened", START, START.plusNanos(1));

        assertThat(StreamEntry.recencyPosition(later)).isLessThan(StreamEntry.recencyPosition(earlier));
        assertThat(StreamId.parse(later.streamId()).id()).isEqualTo(later.id());
    }
}
