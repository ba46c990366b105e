package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(ReplaceUnderscores.class)
class CheckpointsTest {

    @TempDir
    Path folder;

    @Test
    void saved_checkpoints_are_read_back_by_the_next_run_per_stream_and_shard() {
        Checkpoints first = Checkpoints.in(folder, "projector");
        first.save("arn:stream/1", "shard-a", "000000000000000000007");
        first.save("arn:stream/1", "shard-b", "000000000000000000003");
        first.save("arn:stream/1", "shard-a", "000000000000000000009");

        Checkpoints next = Checkpoints.in(folder, "projector");
        assertThat(next.of("arn:stream/1", "shard-a")).isEqualTo("000000000000000000009");
        assertThat(next.of("arn:stream/1", "shard-b")).isEqualTo("000000000000000000003");
        assertThat(next.of("arn:stream/2", "shard-a")).as("another stream of the table (created again)").isNull();
        assertThat(Checkpoints.in(folder, "saga").of("arn:stream/1", "shard-a")).as("another trigger's").isNull();
        assertThat(folder.resolve("projector.json.tmp")).as("the temp file is moved over the file").doesNotExist();
    }

    @Test
    void in_memory_checkpoints_write_nothing() throws IOException {
        Checkpoints.inMemory().save("arn", "shard", "1");
        try (var entries = Files.list(folder)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void a_damaged_file_is_refused_with_the_way_out() throws IOException {
        Files.writeString(folder.resolve("publisher.json"), "{\"arn/shard\":");
        assertThatThrownBy(() -> Checkpoints.in(folder, "publisher")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(folder.resolve("publisher.json").toString()).hasMessageContaining("--reset");
    }
}
