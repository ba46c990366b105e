package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static dev.factline.local.FactlineApi.get;
import static dev.factline.local.FactlineApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.functions.topology.Topology;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Parked records delivered again once the fault is fixed: the projector's records parked while the
 * read table was gone (a fault of the deployment, not of the records) are applied by a redrive once
 * it is back, and leave the parked list; without the redrive the trigger would never deliver them again.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class RedriveIT {

    private static LocalPipeline pipeline;

    @BeforeAll
    static void embedded() {
        pipeline = FactlineApi.embedded();
        FactlineApi.url();
    }

    @Test
    void records_parked_while_the_read_table_was_gone_are_applied_by_a_redrive_once_it_is_back() {
        String table = pipeline.topology().readTable().name();
        pipeline.dynamo().deleteTable(delete -> delete.tableName(table));
        eventually(Duration.ofSeconds(10), RedriveIT::readTableExists, exists -> !exists);
        String account = "redrive-" + UUID.randomUUID();
        assertThat(post("/accounts", "{\"accountId\":\"" + account + "\",\"ownerId\":\"fay\",\"currency\":\"EUR\"}").status()).isEqualTo(201);
        assertThat(post("/accounts/" + account + "/deposits", "{\"amount\":{\"minorUnits\":700,\"currency\":\"EUR\"}}").status()).isEqualTo(200);
        // Until the deposit is parked: the opening may have been parked in a batch of its own before it.
        eventually(Duration.ofSeconds(60), () -> pipeline.parked().all().stream()
                .filter(batch -> batch.function().equals(Topology.PROJECTOR))
                .map(batch -> batch.records().toString())
                .anyMatch(records -> records.contains(account) && records.contains("MoneyDeposited")), parked -> parked);
        pipeline.dynamo().createTable(pipeline.topology().readTable().createTableRequest());
        eventually(Duration.ofSeconds(10), RedriveIT::readTableExists, exists -> exists);

        String report = pipeline.redrive();

        assertThat(report).contains("\"function\":\"projector\"", "\"applied\":true");
        assertThat(pipeline.parked().all()).noneMatch(batch -> batch.function().equals(Topology.PROJECTOR)
                && batch.records().toString().contains(account));
        FactlineApi.Answer view = eventually(Duration.ofSeconds(5), () -> get("/accounts/" + account), answer -> answer.status() == 200);
        assertThat(view.json().get("balance").get("minorUnits").asLong()).isEqualTo(700);
        assertThat(view.header("ETag")).contains("\"2\"");
    }

    private static boolean readTableExists() {
        return readTableExists(pipeline);
    }

    /** Whether {@code pipeline}'s read table is there (it is dropped and created again to park the projector's records). */
    static boolean readTableExists(LocalPipeline pipeline) {
        try {
            pipeline.dynamo().describeTable(describe -> describe.tableName(pipeline.topology().readTable().name()));
            return true;
        } catch (ResourceNotFoundException gone) {
            return false;
        }
    }
}
