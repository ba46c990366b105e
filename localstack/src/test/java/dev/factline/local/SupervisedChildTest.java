package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class SupervisedChildTest {

    @Test
    void the_first_death_and_a_death_after_a_stable_run_wait_the_first_delay() {
        assertThat(SupervisedChild.delayAfterDeath(null, Duration.ofSeconds(1))).isEqualTo(SupervisedChild.FIRST_RESTART_DELAY);
        assertThat(SupervisedChild.delayAfterDeath(Duration.ofSeconds(5), SupervisedChild.STABLE_RUN)).isEqualTo(SupervisedChild.FIRST_RESTART_DELAY);
    }

    @Test
    void a_child_that_dies_again_soon_after_its_restart_waits_twice_as_long_up_to_the_longest_delay() {
        assertThat(SupervisedChild.delayAfterDeath(Duration.ofMillis(400), Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(800));
        assertThat(SupervisedChild.delayAfterDeath(Duration.ofSeconds(8), Duration.ofSeconds(2))).isEqualTo(SupervisedChild.LONGEST_RESTART_DELAY);
    }
}
