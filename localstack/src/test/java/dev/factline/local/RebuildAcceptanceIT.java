package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountStatement;
import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildProgress;
import dev.factline.functions.rebuild.RebuildTarget;
import dev.factline.functions.topology.Topology;
import dev.factline.functions.view.HostedReadModels;
import dev.factline.local.FactlineApi.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * A read model added after its events were written, rebuilt on the running pipeline: it answers
 * over HTTP for the whole history, and neither the saga nor the publisher sees any of it.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class RebuildAcceptanceIT {

    private static LocalPipeline pipeline;

    @BeforeAll
    static void embedded() {
        pipeline = FactlineApi.embedded();
        FactlineApi.url();
    }

    @Test
    void a_statement_added_after_its_events_answers_over_http_once_rebuilt_and_no_saga_command_or_kinesis_record_follows() {
        String account = "statement-" + UUID.randomUUID();
        assertThat(post("/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"erin\",\"currency\":\"EUR\"}").status()).isEqualTo(201);
        for (long amount : List.of(1_000L, 2_500L)) {
            assertThat(post("/accounts/" + account + "/deposits", deposit(amount)).status()).isEqualTo(200);
        }
        assertThat(post("/accounts/" + account + "/withdrawals", deposit(500)).status()).isEqualTo(200);
        eventually(Duration.ofSeconds(10), () -> get("/accounts/" + account + "/statement"), answer -> answer.status() == 200
                && "\"4\"".equals(answer.header("ETag").orElse("")));
        // As before the statement existed: none of its rows.
        PipelineContents.forgetEveryRowOf(pipeline, AccountStatement.MODEL.space() + "/");
        // Not there before the rebuild (the statement is read from the table on every request).
        eventually(Duration.ofSeconds(5), () -> get("/accounts/" + account + "/statement"), answer -> answer.status() == 404);
        // The suite shares one pipeline: earlier classes' events may still be on their way to Kinesis.
        long published = publishedOnceQuiet();
        long eventItems = eventTableItems();
        long sagaBatches = pipeline.invocations(Topology.SAGA);
        long publisherBatches = pipeline.invocations(Topology.PUBLISHER);

        Rebuild.Summary summary;
        try {
            summary = new Rebuild(pipeline.dynamo(), pipeline.topology().eventTable(), pipeline.topology().readTable(), Clock.systemUTC(), "test")
                    .run(RebuildTarget.of(HostedReadModels.STANDARD, "account-statement", 1), new Rebuild.Settings(2, 50, 0, Duration.ofSeconds(30)),
                            new RebuildProgress());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Answer statement = get("/accounts/" + account + "/statement");
        // Two poll intervals: long enough for a trigger to have seen anything the rebuild wrote.
        sleep(pipeline.streamPollInterval().multipliedBy(2));

        assertThat(summary.complete()).isTrue();
        assertThat(statement.status()).as(statement.toString()).isEqualTo(200);
        assertThat(statement.json().get("months").get(0).get("deposits").asLong()).isEqualTo(3_500);
        assertThat(statement.json().get("months").get(0).get("closing").asLong()).isEqualTo(3_000);
        assertThat(statement.header("ETag")).contains("\"4\"");
        assertThat(publishedRecords()).as("Kinesis records").isEqualTo(published);
        assertThat(eventTableItems()).as("event-table items: no saga command, no event").isEqualTo(eventItems);
        assertThat(pipeline.invocations(Topology.SAGA)).as("saga batches").isEqualTo(sagaBatches);
        assertThat(pipeline.invocations(Topology.PUBLISHER)).as("publisher batches").isEqualTo(publisherBatches);
    }

    private static String deposit(long minorUnits) {
        return "{\"amount\":{\"minorUnits\":" + minorUnits + ",\"currency\":\"EUR\"}}";
    }

    private static long eventTableItems() {
        long items = 0;
        for (var page : pipeline.dynamo().scanPaginator(scan -> scan.tableName(pipeline.topology().eventTable().name()))) {
            items += page.count();
        }
        return items;
    }

    /** The published records once their count has stood still for longer than the publisher's batching window and a poll. */
    private static long publishedOnceQuiet() {
        Duration still = Duration.ofSeconds(1).plus(pipeline.streamPollInterval()).multipliedBy(2);
        Instant deadline = Instant.now().plusSeconds(30);
        long before = publishedRecords();
        while (Instant.now().isBefore(deadline)) {
            sleep(still);
            long now = publishedRecords();
            if (now == before) {
                return now;
            }
            before = now;
        }
        throw new IllegalStateException("the publisher kept publishing for 30 s: " + before + " records so far");
    }

    private static long publishedRecords() {
        return PipelineContents.publishedRecords(pipeline).size();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
