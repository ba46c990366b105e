package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.local.DataFolder.DataFolderException;
import dev.factline.local.DataFolder.IncompatibleFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(ReplaceUnderscores.class)
class DataFolderTest {

    @TempDir
    Path tmp;

    @Nested
    class Opening {

        @Test
        void a_missing_folder_is_created_with_its_layout_and_format() throws IOException {
            Path data = tmp.resolve("a/b/.factline");
            try (DataFolder folder = DataFolder.open(data)) {
                assertThat(folder.root()).isEqualTo(data);
                assertThat(names(data)).containsExactlyInAnyOrder("checkpoints", "dynalite", "kinesalite", "s3rver", DataFolder.MARKER, DataFolder.LOCK);
                assertThat(Files.readString(data.resolve(DataFolder.MARKER))).contains("\"format\" : " + DataFolder.FORMAT);
            }
        }

        @Test
        void a_folder_of_this_format_opens_again() {
            DataFolder.open(tmp).close();
            DataFolder.open(tmp).close();
        }

        @Test
        void a_folder_in_use_is_refused() {
            try (DataFolder first = DataFolder.open(tmp)) {
                assertThatThrownBy(() -> DataFolder.open(first.root())).isInstanceOf(DataFolderException.class)
                        .hasMessageContaining("is in use by another factline-local");
            }
        }
    }

    @Nested
    class Refusing_writes_nothing {

        @Test
        void a_file() throws IOException {
            Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
            assertThatThrownBy(() -> DataFolder.open(file)).isInstanceOf(DataFolderException.class)
                    .hasMessage(file + " is a file, not a folder: --data needs a folder (it is created if missing)");
            assertThat(Files.readString(file)).isEqualTo("mine");
            assertThat(names(tmp)).containsExactly("notes.txt");
        }

        @Test
        void a_folder_with_other_things_in_it() throws IOException {
            Files.writeString(tmp.resolve("thesis.tex"), "mine");
            assertThatThrownBy(() -> DataFolder.open(tmp)).hasMessageContaining("has no factline-data.json");
            assertThat(names(tmp)).containsExactly("thesis.tex");
        }

        @Test
        void a_folder_written_by_an_incompatible_version() throws IOException {
            Files.writeString(tmp.resolve(DataFolder.MARKER), "{\"format\": 99}");
            assertThatThrownBy(() -> DataFolder.open(tmp)).isInstanceOf(IncompatibleFormatException.class)
                    .hasMessageContaining("written by an incompatible version of factline-local (data format 99; this version reads format 1)")
                    .hasMessageContaining("--reset --data " + tmp);
            assertThat(names(tmp)).containsExactly(DataFolder.MARKER);
        }
    }

    @Nested
    class Resetting {

        @Test
        void wipes_a_data_folder_even_of_another_format() throws IOException {
            DataFolder.open(tmp.resolve("d")).close();
            assertThat(DataFolder.reset(tmp.resolve("d"))).startsWith("Wiped ");
            Files.createDirectories(tmp.resolve("old"));
            Files.writeString(tmp.resolve("old").resolve(DataFolder.MARKER), "{\"format\": 0}");
            DataFolder.reset(tmp.resolve("old"));
            assertThat(names(tmp)).isEmpty();
        }

        @Test
        void leaves_a_folder_that_is_no_data_folder_or_one_in_use() throws IOException {
            Files.writeString(tmp.resolve("thesis.tex"), "mine");
            assertThatThrownBy(() -> DataFolder.reset(tmp)).hasMessageContaining("is not a factline-local data folder");
            try (DataFolder inUse = DataFolder.open(tmp.resolve("d"))) {
                assertThatThrownBy(() -> DataFolder.reset(inUse.root())).hasMessageContaining("in use");
            }
            assertThat(names(tmp)).containsExactlyInAnyOrder("thesis.tex", "d");
        }

        @Test
        void says_so_when_there_is_nothing() {
            assertThat(DataFolder.reset(tmp.resolve("none"))).startsWith("Nothing to wipe");
        }
    }

    private static List<String> names(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
