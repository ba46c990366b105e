package dev.factline.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.factline.benchmarks.cost.ScaleModel.Plan;
import dev.factline.benchmarks.cost.ScaleModel.Workload;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScaleModelTest {

    /**
     * 1 write unit per command, 2 on the read table per projected event, batches of 100 in 150 ms,
     * every command an order move, 8 dashboard shards, 25 ms in flight.
     */
    private static Workload load(double commandsPerSecond) {
        return new Workload(commandsPerSecond, 1, 0.01, 2, 600, 10, 150, 100, 1, 8, 25);
    }

    @Test
    void partitions_and_stream_shards_follow_the_write_units() {
        assertThat(ScaleModel.plan(load(10_000)).partitions()).isEqualTo(10);
        assertThat(ScaleModel.plan(load(100_000)).streamShards()).isEqualTo(100);
        assertThat(ScaleModel.plan(load(10)).partitions()).isEqualTo(1);
    }

    @Test
    void the_projector_needs_the_parallelization_a_shard_s_records_ask_for() {
        // 1,000 records a second per shard; one invocation projects 100 in 150 ms, 667 a second.
        Plan plan = ScaleModel.plan(load(10_000));

        assertThat(plan.parallelizationFactor()).isEqualTo(2);
        assertThat(plan.projectorConcurrency()).isEqualTo(20);
        ScaleModel.Load perShard = plan.loads().stream().filter(load -> load.limit().startsWith("projector")).findFirst().orElseThrow();
        assertThat(perShard.share()).isEqualTo(ScaleModel.plan(load(100_000)).loads().get(plan.loads().indexOf(perShard)).share(), within(1e-9));
        assertThat(plan.commandsPerSecondAtLimit(perShard)).as("shards follow the load").isInfinite();
    }

    @Test
    void every_batch_of_many_orders_writes_every_dashboard_row_once() {
        // 100 batches a second, each touching all 8 rows (100 orders over 8 shards): 100 transactions a row, held 2.5 s a second.
        Plan plan = ScaleModel.plan(load(10_000));

        assertThat(plan.dashboardTransactionsPerRow()).isEqualTo(100, within(0.01));
        assertThat(plan.firstLimit().limit()).startsWith("dashboard shard row: time held");
        assertThat(plan.firstLimit().share()).isEqualTo(2.5, within(0.01));
        assertThat(plan.commandsPerSecondAtLimit(plan.firstLimit())).isEqualTo(4_000, within(1.0));
    }

    @Test
    void a_batch_of_few_order_moves_touches_fewer_rows() {
        Workload fewMoves = new Workload(10_000, 1, 0, 2, 600, 10, 150, 100, 0.01, 8, 25);

        // One move a batch: one row of 8 touched, so a row sees an eighth of the batches.
        assertThat(ScaleModel.plan(fewMoves).dashboardTransactionsPerRow()).isEqualTo(100.0 / 8, within(0.01));
    }

    @Test
    void at_100k_commands_a_second_the_event_table_passes_its_default_quota_and_kinesis_needs_a_shard_per_thousand_records() {
        Plan plan = ScaleModel.plan(load(100_000));

        assertThat(plan.loads()).filteredOn(load -> load.limit().startsWith("event table"))
                .singleElement().satisfies(table -> assertThat(table.share()).isEqualTo(2.5, within(1e-9)));
        assertThat(plan.kinesisShards()).isEqualTo(100);
    }

    @Test
    void the_read_table_takes_what_the_projector_writes_per_event_and_passes_its_quota_before_the_event_table() {
        Plan plan = ScaleModel.plan(load(100_000));

        ScaleModel.Load readTable = plan.loads().stream().filter(load -> load.limit().startsWith("read table")).findFirst().orElseThrow();
        assertThat(readTable.share()).as("200,000 write units a second of 40,000").isEqualTo(5.0, within(1e-9));
        assertThat(plan.commandsPerSecondAtLimit(readTable)).isEqualTo(20_000, within(1e-6));
    }
}
