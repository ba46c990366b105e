package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class LocalFlagsTest {

    private static final Path CHECKOUT_DATA = Path.of("/repo/.factline");

    private static LocalFlags parse(String... args) {
        return LocalFlags.parse(List.of(args), Map.of(), CHECKOUT_DATA);
    }

    @Nested
    class Accepted {

        @Test
        void no_arguments_keep_the_data_in_the_checkout_on_port_8080() {
            assertThat(parse()).isEqualTo(new LocalFlags(8080, CHECKOUT_DATA, false));
        }

        @Test
        void the_port_argument_wins_over_FACTLINE_PORT() {
            assertThat(LocalFlags.parse(List.of(), Map.of("FACTLINE_PORT", "9000"), CHECKOUT_DATA).port()).isEqualTo(9000);
            assertThat(LocalFlags.parse(List.of("0"), Map.of("FACTLINE_PORT", "9000"), CHECKOUT_DATA).port()).isZero();
        }

        @Test
        void data_names_another_folder_in_any_position() {
            assertThat(parse("--data", "/tmp/state", "0")).isEqualTo(new LocalFlags(0, Path.of("/tmp/state"), false));
            assertThat(parse("0", "--data", "rel")).isEqualTo(new LocalFlags(0, Path.of("rel"), false));
        }

        @Test
        void in_memory_has_no_data_folder() {
            assertThat(parse("--in-memory").data()).isNull();
        }

        @Test
        void reset_wipes_the_default_folder_or_the_one_named() {
            assertThat(parse("--reset")).isEqualTo(new LocalFlags(8080, CHECKOUT_DATA, true));
            assertThat(parse("--reset", "--data", "/x")).isEqualTo(new LocalFlags(8080, Path.of("/x"), true));
        }

        @Test
        void concurrency_is_four_containers_per_processor_unless_given() {
            assertThat(parse().concurrency()).isEqualTo(4 * Runtime.getRuntime().availableProcessors());
            assertThat(parse("--concurrency", "1", "0")).isEqualTo(new LocalFlags(0, CHECKOUT_DATA, false, 1));
            assertThat(parse("--concurrency", "256").concurrency()).isEqualTo(256);
        }
    }

    @Nested
    class Refused {

        @Test
        void an_unknown_flag_is_named() {
            assertThatThrownBy(() -> parse("--persist")).isInstanceOf(LocalFlags.UsageException.class).hasMessage("unknown flag --persist");
        }

        @Test
        void data_without_a_folder() {
            assertThatThrownBy(() -> parse("--data")).hasMessage("--data needs a folder: --data DIR");
            assertThatThrownBy(() -> parse("--data", "--in-memory")).hasMessage("--data needs a folder: --data DIR");
        }

        @Test
        void data_with_in_memory() {
            assertThatThrownBy(() -> parse("--in-memory", "--data", "/x")).hasMessageStartingWith("--data and --in-memory exclude each other");
        }

        @Test
        void reset_with_in_memory() {
            assertThatThrownBy(() -> parse("--in-memory", "--reset")).hasMessage("--reset wipes a data folder; --in-memory has none");
        }

        @Test
        void a_port_that_is_no_port() {
            assertThatThrownBy(() -> parse("80x")).hasMessageContaining("the port must be a number from 0 to 65535").hasMessageContaining("\"80x\"");
            assertThatThrownBy(() -> parse("65536")).hasMessageContaining("not 65536");
            assertThatThrownBy(() -> LocalFlags.parse(List.of(), Map.of("FACTLINE_PORT", "x"), CHECKOUT_DATA))
                    .hasMessageStartingWith("FACTLINE_PORT must be a number");
        }

        @Test
        void two_ports_or_two_folders() {
            assertThatThrownBy(() -> parse("1", "2")).hasMessage("one port only, not 1 and 2");
            assertThatThrownBy(() -> parse("--data", "a", "--data", "b")).hasMessage("--data is given twice");
        }

        @Test
        void a_concurrency_that_is_no_number_of_containers() {
            String wanted = "--concurrency must be a whole number of containers from 1 to 256, not ";
            assertThatThrownBy(() -> parse("--concurrency", "0")).isInstanceOf(LocalFlags.UsageException.class).hasMessage(wanted + "0");
            assertThatThrownBy(() -> parse("--concurrency", "257")).hasMessage(wanted + "257");
            assertThatThrownBy(() -> parse("--concurrency", "-3")).hasMessage(wanted + "-3");
            assertThatThrownBy(() -> parse("--concurrency", "four")).hasMessage(wanted + "\"four\"");
            assertThatThrownBy(() -> parse("--concurrency", "2.5")).hasMessage(wanted + "\"2.5\"");
            assertThatThrownBy(() -> parse("--concurrency")).hasMessage("--concurrency needs a number of containers: --concurrency N");
            assertThatThrownBy(() -> parse("--concurrency", "--in-memory")).hasMessage("--concurrency needs a number of containers: --concurrency N");
            assertThatThrownBy(() -> parse("--concurrency", "2", "--concurrency", "3")).hasMessage("--concurrency is given twice");
        }
    }
}
