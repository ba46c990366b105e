package dev.factline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatsTest {

    @Test
    void the_median_of_an_odd_count_is_the_middle_value_whatever_the_order() {
        assertThat(Stats.median(List.of(9.0, 1.0, 5.0))).isEqualTo(5.0);
    }

    @Test
    void the_median_of_an_even_count_is_the_mean_of_the_two_middle_values() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of(10.0, 30.0))).isEqualTo(20.0);
    }

    @Test
    void percentiles_are_nearest_rank() {
        List<Double> hundred = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();

        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(hundred, 100)).isEqualTo(100.0);
        assertThat(Stats.percentile(hundred, 0.5)).isEqualTo(1.0);
        assertThat(Stats.percentile(List.of(7.0), 99)).isEqualTo(7.0);
        List<Double> thousand = java.util.stream.IntStream.rangeClosed(1, 1000).mapToObj(i -> (double) i).toList();
        assertThat(Stats.percentile(thousand, 99.9)).isEqualTo(999.0);
    }

    @Test
    void no_values_or_a_percentile_outside_0_to_100_is_refused() {
        assertThatThrownBy(() -> Stats.median(List.of())).hasMessage("no values");
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 101)).hasMessageContaining("(0, 100]");
    }
}
