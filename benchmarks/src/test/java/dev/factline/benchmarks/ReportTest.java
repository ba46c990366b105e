package dev.factline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReportTest {

    private final Report report = new Report();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final Bench bench = new Bench(Mode.QUICK, Path.of("."), report, new PrintStream(progress, true, StandardCharsets.UTF_8));

    private static final Report.Context CONTEXT = new Report.Context("2026-11-26", Mode.QUICK, "./factline-bench --quick",
            "2 cores", "OpenJDK 25", "abc123", 42);

    private void enter(String id, String title) {
        Section section = new Section() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String title() {
                return title;
            }

            @Override
            public void run(Bench ignored) {
            }
        };
        report.section(section);
        bench.enter(section);
    }

    @Test
    void the_weakest_figure_is_the_one_furthest_short_of_its_limit_whichever_way_is_better() {
        enter("pure", "Pure paths");
        bench.figure("decide+encode", "ops/s", List.of(900_000.0, 800_000.0, 850_000.0), "JMH", Limit.atLeast(1_000_000, "goal 1M"));
        enter("calls", "Calls");
        bench.count("calls per warm command", "calls", 2, "interceptor", Limit.atMost(1, "floor 1"));
        bench.count("calls per cold command", "calls", 2, "interceptor", null);

        assertThat(report.weakest()).get().extracting(Figure::name).isEqualTo("calls per warm command");
        assertThat(report.figures().getFirst().value()).isEqualTo(850_000.0);
    }

    @Test
    void a_count_exactly_at_its_floor_is_no_weakness_but_a_missed_floor_is() {
        enter("calls", "Calls");
        bench.count("calls per warm command", "calls", 1, "interceptor", Limit.floor(1, "floor 1"));
        bench.figure("decide+encode", "ops/s", List.of(1_100_000.0), "JMH", Limit.atLeast(1_000_000, "goal 1M"));

        assertThat(report.weakest()).get().extracting(Figure::name).isEqualTo("decide+encode");
        assertThat(report.markdown(CONTEXT)).contains("**Floors:** 1 of 1 counts meet their floor.");

        bench.count("calls per cold command", "calls", 3, "interceptor", Limit.floor(2, "floor 2"));

        assertThat(report.weakest()).get().extracting(Figure::name).isEqualTo("calls per cold command");
        assertThat(report.markdown(CONTEXT)).contains("**Floors:** 1 of 2 counts meet their floor.");
    }

    @Test
    void a_figure_of_0_against_an_at_most_limit_reads_met_and_is_never_the_weakest() {
        enter("contention", "Contention");
        bench.figure("batches delivered again", "batches", List.of(0.0, 0.0), "rounds", Limit.atMost(1, "at most one batch in 10"));

        assertThat(report.weakest()).isEmpty();
        assertThat(report.markdown(CONTEXT)).contains("| batches delivered again | 0 | batches | n=2, 0-0 | at most one batch in 10 | met (0) | rounds |")
                .doesNotContain("Infinity").doesNotContain("**Weakest against its limit:**");

        bench.count("cancelled transactions per batch", "transactions", 0.5, "counted", Limit.atMost(1, "at most 1"));

        assertThat(report.weakest()).get().extracting(Figure::name).isEqualTo("cancelled transactions per batch");
        assertThat(report.markdown(CONTEXT)).contains("**Weakest against its limit:** cancelled transactions per batch (contention): "
                + "0.500 transactions against at most 1, 2.00 of it.");
    }

    @Test
    void the_markdown_has_a_table_per_section_with_median_spread_limit_and_method_and_names_the_weakest() {
        enter("pure", "Pure paths (JMH)");
        bench.figure("decide+encode", "ops/s", List.of(1_200_000.0, 1_100_000.0, 1_300_000.0), "JMH | 1 thread",
                Limit.atLeast(1_000_000, "goal 1M"));
        bench.note("one fork");

        String markdown = report.markdown(CONTEXT);

        assertThat(markdown).contains("## Pure paths (JMH)")
                .contains("| decide+encode | 1,200,000 | ops/s | n=3, 1,100,000-1,300,000 | goal 1M | 1.20 | JMH \\| 1 thread |")
                .contains("- one fork")
                .contains("**Weakest against its limit:** decide+encode (pure): 1,200,000 ops/s against goal 1M, 1.20 of it.");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("pure] decide+encode: 1,200,000 ops/s");
    }

    @Test
    void writing_gives_markdown_json_and_a_png_per_chart(@TempDir Path directory) throws Exception {
        enter("snapshots", "Snapshot effect");
        bench.count("load ratio", "ratio", 1.1, "timed loads", Limit.atMost(2, "near 1"));
        bench.chart(new Series("load-time", "Load time", "events", "ms", true, List.of(
                new Series.Line("with snapshots", List.of(new Series.Point(10, 2), new Series.Point(100_000, 3))),
                new Series.Line("without snapshots", List.of(new Series.Point(10, 2), new Series.Point(100_000, 900))))));

        report.writeTo(directory, CONTEXT);

        assertThat(Files.readString(directory.resolve("report.md"))).contains("![Load time](load-time.png)");
        JsonNode json = new ObjectMapper().readTree(directory.resolve("report.json").toFile());
        assertThat(json.at("/figures/0/name").asText()).isEqualTo("load ratio");
        assertThat(json.at("/figures/0/limit/value").asDouble()).isEqualTo(2.0);
        assertThat(json.at("/weakest/name").asText()).isEqualTo("load ratio");
        assertThat(json.at("/context/commit").asText()).isEqualTo("abc123");
        assertThat(ImageIO.read(directory.resolve("load-time.png").toFile()).getWidth()).isEqualTo(900);
    }

    @Test
    void a_chart_file_name_that_is_not_a_plain_name_is_refused() {
        assertThatThrownBy(() -> new Series("../x", "t", "x", "y", false, List.of())).hasMessageContaining("not ../x");
    }

    @Test
    void numbers_are_shown_with_three_significant_digits_and_grouped_thousands() {
        assertThat(Report.format(1_234_567)).isEqualTo("1,234,567");
        assertThat(Report.format(12.345)).isEqualTo("12.3");
        assertThat(Report.format(0.10512)).isEqualTo("0.105");
        assertThat(Report.format(3)).isEqualTo("3");
    }
}
