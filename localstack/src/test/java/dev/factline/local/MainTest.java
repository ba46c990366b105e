package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/** {@code --auth}: taken out of the arguments, leaving the port; a missing or unknown mode refused by name. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class MainTest {

    @Test
    void auth_iam_makes_a_key_pair_and_leaves_the_port() {
        List<String> arguments = new ArrayList<>(List.of("--auth", "iam", "9090"));

        LocalCredentials credentials = Main.authFlag(arguments);

        assertThat(credentials).isNotNull();
        assertThat(credentials.accessKeyId()).startsWith("AKIALOCAL").hasSize(20);
        assertThat(credentials.secretAccessKey()).hasSize(40);
        assertThat(arguments).containsExactly("9090");
    }

    @Test
    void auth_none_or_no_flag_wants_no_signature() {
        assertThat(Main.authFlag(new ArrayList<>(List.of("8080", "--auth", "none")))).isNull();
        assertThat(Main.authFlag(new ArrayList<>(List.of("8080")))).isNull();
    }

    @Test
    void a_missing_or_unknown_mode_is_refused() {
        assertThatThrownBy(() -> Main.authFlag(new ArrayList<>(List.of("--auth")))).hasMessageContaining("--auth needs a value");
        assertThatThrownBy(() -> Main.authFlag(new ArrayList<>(List.of("--auth", "jwt")))).hasMessageContaining("not \"jwt\"");
    }

    @Test
    void each_start_makes_another_key_pair() {
        assertThat(LocalCredentials.generate()).isNotEqualTo(LocalCredentials.generate());
    }
}
