package dev.factline.functions.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadRateLimitTest {

    private Instant now = Instant.parse("2026-12-07T00:00:00Z");
    private final List<Duration> waits = new ArrayList<>();
    private final InstantSource clock = () -> now;

    private ReadRateLimit limit(double unitsPerSecond) {
        return new ReadRateLimit(unitsPerSecond, clock, duration -> {
            waits.add(duration);
            now = now.plus(duration);
        });
    }

    @Test
    void the_first_page_goes_at_once_and_the_next_waits_for_what_the_first_cost() throws Exception {
        ReadRateLimit limit = limit(100);

        limit.awaitTurn();
        limit.spent(50);
        limit.awaitTurn();

        assertThat(waits).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void pages_of_several_segments_add_up_so_the_rate_over_them_is_the_ceiling() throws Exception {
        ReadRateLimit limit = limit(10);
        double spent = 0;
        Instant start = now;

        for (int page = 0; page < 20; page++) {
            limit.awaitTurn();
            limit.spent(5);
            spent += 5;
        }
        limit.awaitTurn();

        double seconds = Duration.between(start, now).toMillis() / 1000.0;
        assertThat(spent / seconds).isEqualTo(10.0);
    }

    @Test
    void time_already_passed_counts_so_a_slow_reader_never_waits() throws Exception {
        ReadRateLimit limit = limit(10);

        limit.spent(5);
        now = now.plusSeconds(1);
        limit.awaitTurn();

        assertThat(waits).isEmpty();
    }

    @Test
    void no_ceiling_never_waits() throws Exception {
        ReadRateLimit limit = limit(0);

        limit.spent(1_000_000);
        limit.awaitTurn();

        assertThat(waits).isEmpty();
    }
}
