package dev.factline.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoadPlanTest {

    private static LoadPlan parse(String... arguments) {
        return LoadPlan.parse(List.of(arguments));
    }

    @Test
    void the_defaults_point_at_the_local_pipeline() {
        assertThat(parse()).isEqualTo(LoadPlan.defaults());
        assertThat(LoadPlan.defaults().url()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    }

    @Test
    void every_flag_is_taken() {
        LoadPlan plan = parse("--url", "https://api.example.com/prod/", "--concurrency", "32", "--duration", "2m",
                "--warmup", "500ms", "--mix", "deposit=1,read=9");

        assertThat(plan.url()).isEqualTo(URI.create("https://api.example.com/prod"));
        assertThat(plan.concurrency()).isEqualTo(32);
        assertThat(plan.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(plan.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(plan.mix().weights()).isEqualTo(Map.of(Operation.DEPOSIT, 1, Operation.READ, 9));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--concurrency | 0      | --concurrency must be between 1 and 1024, not 0",
        "--concurrency | many   | --concurrency must be a whole number up to 1024, not 'many'",
        "--duration    | 30     | --duration must be a number with ms, s or m (500ms, 30s, 2m), not '30'",
        "--duration    | 0s     | --duration must be positive and at most 24 hours, not PT0S",
        "--duration    | 100000000m | --duration must be positive and at most 24 hours, not PT1666666H40M",
        "--duration    | 99999999999m | --duration must be a number with ms, s or m (500ms, 30s, 2m), not '99999999999m'",
        "--warmup      | 25h    | --warmup must be a number with ms, s or m (500ms, 30s, 2m), not '25h'",
        "--url         | ftp://x | --url must be an http or https URL with a host, not 'ftp://x'",
        "--mix         | deposit | 'deposit' is not name=weight (e.g. deposit=5,read=4,order=1)",
        "--mix         | pay=1  | no operation 'pay'; the operations are open, deposit, read, order",
        "--mix         | read=x | weight of read is not a whole number: 'x'",
        "--mix         | read=0 | a mix needs at least one operation with a positive weight",
        "--mix         | read=1,read=2 | read is given twice",
        "--speed       | 3      | unknown argument '--speed'",
    })
    void a_wrong_value_is_refused_with_what_was_wrong(String flag, String value, String message) {
        assertThatThrownBy(() -> parse(flag, value)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void a_known_flag_without_a_value_says_so() {
        assertThatThrownBy(() -> parse("--url")).hasMessage("--url needs a value");
    }

    @Test
    void draws_follow_the_weights_and_never_pick_a_zero_weight() {
        Mix mix = Mix.parse("deposit=3,read=1,order=0");
        SplittableRandom random = new SplittableRandom(7);
        int deposits = 0;
        for (int i = 0; i < 40_000; i++) {
            Operation drawn = mix.draw(random);
            assertThat(drawn).isNotEqualTo(Operation.ORDER);
            deposits += drawn == Operation.DEPOSIT ? 1 : 0;
        }
        assertThat(deposits / 40_000.0).isBetween(0.73, 0.77);
    }
}
