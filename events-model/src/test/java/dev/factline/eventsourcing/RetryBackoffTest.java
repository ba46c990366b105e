package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryBackoffTest {

    private final RetryBackoff.FullJitter jitter = new RetryBackoff.FullJitter(Duration.ofMillis(5), Duration.ofMillis(100));

    @Test
    void the_ceiling_doubles_per_failed_attempt_up_to_the_cap() {
        assertThat(jitter.ceiling(1)).isEqualTo(Duration.ofMillis(5));
        assertThat(jitter.ceiling(2)).isEqualTo(Duration.ofMillis(10));
        assertThat(jitter.ceiling(5)).isEqualTo(Duration.ofMillis(80));
        assertThat(jitter.ceiling(6)).isEqualTo(Duration.ofMillis(100));
        assertThat(jitter.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void a_cap_below_the_base_or_a_base_of_zero_is_refused_when_built_not_when_first_needed() {
        assertThatThrownBy(() -> new RetryBackoff.FullJitter(Duration.ofMillis(5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff.FullJitter(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
