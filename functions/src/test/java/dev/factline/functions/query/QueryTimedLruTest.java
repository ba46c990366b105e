package dev.factline.functions.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryTimedLruTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void a_lifetime_of_nothing_is_refused() {
        assertThatThrownBy(() -> new TimedLru<>(1, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Time_to_live {

        private final TimedLru<String, Integer> lru = new TimedLru<>(10, Duration.ofSeconds(1), clock);

        @Test
        void an_entry_lives_its_time_to_live_from_when_it_was_put_and_not_a_moment_longer() {
            lru.put("a", 1);

            clock.advance(Duration.ofMillis(999));
            assertThat(lru.get("a")).contains(1);
            clock.advance(Duration.ofMillis(1));
            assertThat(lru.get("a")).isEmpty();
            assertThat(lru.size()).as("dropped when read expired").isZero();
        }

        @Test
        void reading_an_entry_does_not_extend_its_life() {
            lru.put("a", 1);
            clock.advance(Duration.ofMillis(600));
            lru.get("a");
            clock.advance(Duration.ofMillis(600));

            assertThat(lru.get("a")).isEmpty();
        }

        @Test
        void putting_again_starts_a_new_life() {
            lru.put("a", 1);
            clock.advance(Duration.ofMillis(600));
            lru.put("a", 2);
            clock.advance(Duration.ofMillis(600));

            assertThat(lru.get("a")).contains(2);
        }
    }
}
