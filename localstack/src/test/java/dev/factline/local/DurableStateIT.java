package dev.factline.local;

import static dev.factline.local.FactlineApi.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.local.FactlineApi.Answer;
import dev.factline.local.PipelineJvm.Finished;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;

/**
 * {@code factline-local} as a user runs it (its own JVM): the state kept in a data folder across a
 * clean stop, the banner that says where it is and how to wipe it, {@code --reset}, and command
 * lines refused with exit codes before anything is written. {@link FaultSuiteIT} covers kill -9.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class DurableStateIT {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Test
    void a_write_survives_a_clean_stop_and_reset_wipes_it(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("state");
        try (PipelineJvm first = PipelineJvm.start(tmp, "0", "--data", data.toString())) {
            assertThat(String.join("\n", first.stdout())).contains("data                   " + data + " (kept across restarts; to wipe it: stop,"
                    + " then ./factline-local --reset --data " + data + ")");
            Answer opened = send(first.url(), "POST", "/accounts", "{\"accountId\":\"kept\",\"ownerId\":\"eve\",\"currency\":\"EUR\"}");
            assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        }
        try (PipelineJvm second = PipelineJvm.start(tmp, "0", "--data", data.toString())) {
            Answer read = eventually(WITHIN, () -> send(second.url(), "GET", "/accounts/kept", null), answer -> answer.status() == 200);
            assertThat(read.json().path("version").asLong()).isEqualTo(1);
        }
        Finished reset = PipelineJvm.run(tmp, "--reset", "--data", data.toString());
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.stdout()).contains("Wiped " + data);
        assertThat(data).doesNotExist();
    }

    @Test
    void in_memory_says_so_in_the_banner_and_keeps_no_folder(@TempDir Path tmp) throws Exception {
        try (PipelineJvm jvm = PipelineJvm.start(tmp, "0", "--in-memory")) {
            assertThat(String.join("\n", jvm.stdout())).contains("data                   in memory (--in-memory): gone when the pipeline stops");
        }
    }

    @Nested
    class Refused_before_anything_is_written {

        @Test
        void an_unknown_flag_exits_2_with_the_usage(@TempDir Path tmp) throws Exception {
            Finished refused = PipelineJvm.run(tmp, "--data", tmp.resolve("state").toString(), "--persist");
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.stderr()).contains("factline-local: unknown flag --persist", "usage: ./factline-local [port]");
            assertThat(tmp.resolve("state")).doesNotExist();
        }

        @Test
        void data_with_in_memory_exits_2(@TempDir Path tmp) throws Exception {
            Finished refused = PipelineJvm.run(tmp, "--data", tmp.resolve("state").toString(), "--in-memory");
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.stderr()).contains("--data and --in-memory exclude each other");
            assertThat(tmp.resolve("state")).doesNotExist();
        }

        @Test
        void data_naming_a_file_exits_1_and_leaves_the_file(@TempDir Path tmp) throws Exception {
            Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
            Finished refused = PipelineJvm.run(tmp, "0", "--data", file.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains(file + " is a file, not a folder");
            assertThat(Files.readString(file)).isEqualTo("mine");
        }

        @Test
        void a_folder_of_another_format_exits_1_and_is_left_as_it_was(@TempDir Path tmp) throws Exception {
            Path data = Files.createDirectories(tmp.resolve("old"));
            Files.writeString(data.resolve(DataFolder.MARKER), "{\"format\": 0}");
            Finished refused = PipelineJvm.run(tmp, "0", "--data", data.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("written by an incompatible version of factline-local", "--reset --data " + data);
            try (var entries = Files.list(data)) {
                assertThat(entries.map(path -> path.getFileName().toString())).containsExactly(DataFolder.MARKER);
            }
        }
    }

    private static Answer send(URI url, String method, String path, @Nullable String json) {
        return FactlineApi.send(url, method, path, json);
    }
}
