package dev.factline.functions.query;

import static dev.factline.functions.query.QueryEvents.get;
import static dev.factline.functions.query.QueryFixture.START;
import static dev.factline.functions.query.QueryFixture.json;
import static dev.factline.functions.query.QueryFixture.send;
import static dev.factline.functions.query.QueryFunctionIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.functions.rebuild.EventTableScan.Position;
import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.rebuild.RebuildProgress;
import dev.factline.functions.rebuild.RebuildTarget;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.functions.view.ReadTable;
import dev.factline.functions.view.ViewCache;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /rebuilds}: every hosted read model with the version served and its rebuilds as the
 * ledger has them, on dynalite: a run in progress (its ledger rows, as a rebuild writes them
 * between pages), a run finished by the rebuild engine itself, and versions never rebuilt.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryRebuildsIT {

    private static QueryFixture side;

    @BeforeAll
    static void aRunningRebuildAndAFinishedOne() throws InterruptedException {
        side = QueryFixture.create("rebuilds");
        String account = "r-" + UUID.randomUUID().toString().substring(0, 8);
        side.openAccount(account);
        side.deposit(account, 700);
        RebuildLedger ledger = new RebuildLedger(LocalDynamo.shared().client(), side.readTable);
        ledger.acquire(AccountView.MODEL.space(), 2, "explorer-test", START, Duration.ofMinutes(5));
        ledger.save(AccountView.MODEL.space(), new RebuildLedger.Checkpoint(0, null, true, 30, 40, 50, 6.5, 12, 1));
        ledger.save(AccountView.MODEL.space(), new RebuildLedger.Checkpoint(1, new Position("account#b", "3"), false, 5, 6, 20, 2.5, 3, 0));
        Rebuild.Summary finished = new Rebuild(LocalDynamo.shared().client(), side.eventTable, side.readTable, Clock.systemUTC(), "finisher")
                .run(RebuildTarget.of(HostedReadModels.STANDARD, AccountStatement.MODEL.name(), AccountStatement.MODEL.version()),
                        new Rebuild.Settings(2, 50, 0, Duration.ofSeconds(30)), new RebuildProgress());
        assertThat(finished.complete()).isTrue();
    }

    private static JsonNode rebuilds() {
        APIGatewayV2HTTPResponse response = send(side.container(ViewCache.none(), new ManualClock(START)), get("/rebuilds"));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders().get("ETag")).startsWith("W/");
        return json(response);
    }

    private static JsonNode version(JsonNode page, String name, int version) {
        for (JsonNode model : page.get("readModels")) {
            if (model.get("name").asText().equals(name)) {
                for (JsonNode each : model.get("versions")) {
                    if (each.get("version").asInt() == version) {
                        return each;
                    }
                }
            }
        }
        throw new AssertionError(name + "@" + version + " is not listed: " + page);
    }

    @Test
    void a_running_rebuild_shows_its_progress_added_up_and_segment_by_segment() {
        JsonNode rebuild = version(rebuilds(), AccountView.MODEL.name(), AccountView.MODEL.version()).get("rebuild");

        assertThat(rebuild.get("state").asText()).isEqualTo("running");
        assertThat(rebuild.get("segments").asInt()).isEqualTo(2);
        assertThat(rebuild.get("segmentsDone").asInt()).isEqualTo(1);
        assertThat(rebuild.get("itemsRead").asLong()).isEqualTo(70);
        assertThat(rebuild.get("events").asLong()).isEqualTo(46);
        assertThat(rebuild.get("rowsWritten").asLong()).isEqualTo(15);
        assertThat(rebuild.get("readUnits").asDouble()).isEqualTo(9.0);
        assertThat(rebuild.get("problems").asLong()).isEqualTo(1);
        assertThat(rebuild.get("owner").asText()).isEqualTo("explorer-test");
        assertThat(rebuild.get("startedAt").asText()).isEqualTo(START.toString());
        assertThat(rebuild.get("leaseUntil").asText()).isEqualTo(START.plus(Duration.ofMinutes(5)).toString());
        assertThat(rebuild.get("checkpoints").toString())
                .isEqualTo("[{\"segment\":0,\"done\":true,\"itemsRead\":50,\"events\":40},{\"segment\":1,\"done\":false,\"itemsRead\":20,\"events\":6}]");
        assertThat(rebuilds().get("running").asInt()).isEqualTo(1);
    }

    @Test
    void a_finished_rebuild_shows_when_it_completed_and_no_progress() {
        JsonNode rebuild = version(rebuilds(), AccountStatement.MODEL.name(), AccountStatement.MODEL.version()).get("rebuild");

        assertThat(rebuild.get("state").asText()).isEqualTo("complete");
        assertThat(rebuild.get("owner").asText()).isEqualTo("finisher");
        assertThat(rebuild.has("completedAt")).isTrue();
        assertThat(rebuild.has("checkpoints")).isFalse();
    }

    @Test
    void every_hosted_view_is_listed_with_the_version_served_and_one_never_rebuilt_has_no_rebuild() {
        JsonNode page = rebuilds();

        assertThat(page.get("readModels").findValuesAsText("name")).contains("account-view", "account-statement", "order-view", "account-streams");
        assertThat(page.get("readModels").findValuesAsText("name")).as("a tally is rebuilt with its source").doesNotContain("order-dashboard");
        JsonNode orders = version(page, "order-view", 1);
        assertThat(orders.get("space").asText()).isEqualTo("order-view@1");
        assertThat(orders.has("rebuild")).isFalse();
        page.get("readModels").forEach(model -> assertThat(model.get("served").asInt()).isEqualTo(1));
    }

    @Test
    void the_runs_are_one_batch_read_and_a_running_run_s_checkpoints_one_read_per_segment() {
        side.calls.reset();

        rebuilds();

        assertThat(side.calls.calls()).containsEntry("BatchGetItem", 1).containsEntry("GetItem", 2);
    }

    @Test
    void a_query_parameter_is_refused_with_400_before_anything_is_read() {
        side.calls.reset();

        assertProblem(send(side.container(ViewCache.none(), new ManualClock(START)), get("/rebuilds?state=running")), 400, "invalid-request");
        assertThat(side.calls.total()).isZero();
    }

    @Test
    void a_read_table_that_cannot_be_read_is_503_views_unavailable() {
        QuerySettings missing = QuerySettings.of(new ReadTable("no-such-read-table"), new EventTable("no-such-event-table"));

        assertProblem(send(side.container(ViewCache.none(), new ManualClock(START), missing), get("/rebuilds")), 503, "views-unavailable");
    }
}
