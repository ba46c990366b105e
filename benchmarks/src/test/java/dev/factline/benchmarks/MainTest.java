package dev.factline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MainTest {

    @Test
    void a_bad_flag_is_refused_with_status_2_before_anything_runs(@TempDir Path directory) throws Exception {
        assertThat(Main.run(new String[] {"--only", "nothing", "--out", directory.toString()})).isEqualTo(2);

        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void an_output_that_cannot_hold_the_report_is_refused_before_anything_runs(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("a-file"), "not a directory");

        assertThat(Main.run(new String[] {"--only", "pure", "--out", file.resolve("report").toString()})).isEqualTo(2);

        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }
}
