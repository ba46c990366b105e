package dev.factline.benchmarks.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.factline.benchmarks.cost.CostModel.Architecture;
import dev.factline.benchmarks.cost.CostModel.Command;
import dev.factline.benchmarks.cost.CostModel.Invocation;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CostModelTest {

    private static final Prices PRICES = Prices.standard();
    private static final CostModel ARM = new CostModel(PRICES, Architecture.ARM64);

    @Nested
    class Prices_file {

        @Test
        void the_shipped_file_reads_every_price_per_unit() {
            assertThat(PRICES.region()).isEqualTo("us-east-1");
            assertThat(PRICES.writeRequestUnit()).isEqualTo(0.625e-6, within(1e-15));
            assertThat(PRICES.lambdaArmGbSecond()).isLessThan(PRICES.lambdaX86GbSecond());
            assertThat(PRICES.kinesisShardHour()).isEqualTo(0.015);
        }

        @Test
        void a_missing_or_malformed_or_negative_price_is_refused_naming_its_key() {
            String shipped = shippedText();
            assertThatThrownBy(() -> Prices.parse(shipped.replaceAll("(?m)^lambda\\.requests=.*$", "")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("prices.properties lacks lambda.requests");
            assertThatThrownBy(() -> Prices.parse(shipped.replace("kinesis.shard.hour=0.015", "kinesis.shard.hour=cheap")))
                    .hasMessage("prices.properties: kinesis.shard.hour is not a number: 'cheap'");
            assertThatThrownBy(() -> Prices.parse(shipped.replace("apigateway.http.requests=1.00", "apigateway.http.requests=-1")))
                    .hasMessage("prices.properties: apigateway.http.requests must be a price of 0 or more, not -1");
        }
    }

    @Nested
    class Commands {

        @Test
        void a_warm_command_costs_its_http_request_its_invocation_and_its_write_unit() {
            Command warm = new Command(1, 0, new Invocation(1024, 9.2));
            // $1.00 HTTP + $0.20 requests + 1 GB x 0.010 s x $13.3334 + $0.625 per million.
            double expected = 1.00 + 0.20 + 0.010 * 13.3334 + 0.625;

            assertThat(ARM.perMillionCommands(warm, warm, 0)).isEqualTo(expected, within(1e-9));
        }

        @Test
        void the_cold_share_weighs_the_cold_command_and_x86_costs_more_per_gb_second() {
            Command warm = new Command(1, 0, new Invocation(1024, 10));
            Command cold = new Command(1, 1, new Invocation(1024, 264));
            double allWarm = ARM.perMillionCommands(warm, cold, 0);
            double allCold = ARM.perMillionCommands(warm, cold, 1);

            assertThat(ARM.perMillionCommands(warm, cold, 0.25)).isEqualTo(0.75 * allWarm + 0.25 * allCold, within(1e-9));
            assertThat(new CostModel(PRICES, Architecture.X86).perMillionCommands(warm, cold, 0.25))
                    .isGreaterThan(ARM.perMillionCommands(warm, cold, 0.25));
            assertThatThrownBy(() -> ARM.perMillionCommands(warm, cold, 1.5)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void lambda_bills_the_duration_rounded_up_to_the_millisecond() {
            assertThat(ARM.invocation(new Invocation(2048, 0.1))).isEqualTo(ARM.invocation(new Invocation(2048, 1)));
            assertThat(new Invocation(2048, 1.2).gbSeconds()).isEqualTo(2 * 0.002, within(1e-12));
        }
    }

    @Nested
    class Projection_and_queries {

        @Test
        void a_batch_s_cost_is_shared_by_its_events() {
            Invocation batch = new Invocation(1024, 120);
            double perBatch = (0.20 + 0.120 * 13.3334 + 116 * 0.625 + 51 * 0.125) / 1e6;

            assertThat(ARM.perMillionProjectedEvents(100, 116, 51, batch)).isEqualTo(1e6 * perBatch / 100, within(1e-9));
        }

        @Test
        void only_redis_misses_read_dynamodb() {
            Invocation query = new Invocation(1024, 10);
            double allHits = ARM.perMillionQueries(1, 1, 1, query);
            double allMisses = ARM.perMillionQueries(0, 1, 1, query);

            assertThat(allMisses - allHits).isEqualTo(0.125 + 0.0023, within(1e-9));
            assertThat(ARM.perMillionQueries(0.9, 1, 1, query)).isEqualTo(allHits + 0.1 * (allMisses - allHits), within(1e-9));
        }
    }

    private static String shippedText() {
        try (var in = Prices.class.getResourceAsStream("/prices.properties")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
