package dev.factline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OptionsTest {

    private static final List<String> SECTIONS = List.of("pure", "calls", "end-to-end");
    private static final Path ROOT = Path.of("/repo");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private static Options parse(String... arguments) {
        return Options.parse(List.of(arguments), SECTIONS, ROOT, TODAY);
    }

    @Test
    void no_arguments_run_every_section_in_full_mode_into_todays_results_folder() {
        Options options = parse();

        assertThat(options.mode()).isEqualTo(Mode.FULL);
        assertThat(options.output()).isEqualTo(Path.of("/repo/benchmarks/results/2026-11-26"));
        assertThat(SECTIONS).allMatch(options::runs);
    }

    @Test
    void quick_only_and_out_are_taken() {
        Options options = parse("--quick", "--only", "pure,end-to-end", "--out", "/tmp/report");

        assertThat(options.mode()).isEqualTo(Mode.QUICK);
        assertThat(options.runs("pure")).isTrue();
        assertThat(options.runs("end-to-end")).isTrue();
        assertThat(options.runs("calls")).isFalse();
        assertThat(options.output()).isEqualTo(Path.of("/tmp/report"));
    }

    @Test
    void an_unknown_flag_is_refused_by_name() {
        assertThatThrownBy(() -> parse("--fast")).isInstanceOf(Options.UsageException.class)
                .hasMessage("unknown argument '--fast'");
    }

    @Test
    void an_unknown_section_is_refused_with_the_list_of_sections() {
        assertThatThrownBy(() -> parse("--only", "pure,snapshot")).isInstanceOf(Options.UsageException.class)
                .hasMessage("--only: no section 'snapshot'; the sections are pure, calls, end-to-end");
    }

    @Test
    void a_flag_without_its_value_is_refused() {
        assertThatThrownBy(() -> parse("--out")).hasMessage("--out needs a value");
        assertThatThrownBy(() -> parse("--only", "--quick")).hasMessage("--only needs a value");
    }
}
