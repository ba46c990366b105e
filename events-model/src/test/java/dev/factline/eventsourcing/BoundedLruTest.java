package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BoundedLruTest {

    @Test
    void a_full_lru_drops_the_least_recently_used_entry() {
        BoundedLru<String, Integer> lru = new BoundedLru<>(2);
        lru.put("a", 1);
        lru.put("b", 2);
        lru.get("a");

        lru.put("c", 3);

        assertThat(lru.get("b")).as("least recently used").isNull();
        assertThat(lru.get("a")).isEqualTo(1);
        assertThat(lru.get("c")).isEqualTo(3);
        assertThat(lru.size()).isEqualTo(2);
    }

    @Test
    void a_merge_keeps_what_the_choice_makes_of_the_held_and_the_offered_value() {
        BoundedLru<String, Integer> lru = new BoundedLru<>(2);
        lru.merge("a", 5, Math::max);
        lru.merge("a", 3, Math::max);

        assertThat(lru.get("a")).isEqualTo(5);
        lru.remove("a");
        assertThat(lru.get("a")).isNull();
    }

    @Test
    void an_lru_of_capacity_0_holds_nothing() {
        BoundedLru<String, Integer> lru = new BoundedLru<>(0);

        lru.put("a", 1);
        lru.merge("b", 2, Math::max);

        assertThat(lru.size()).isZero();
    }

    @Test
    void a_negative_capacity_is_refused() {
        assertThatThrownBy(() -> new BoundedLru<>(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void a_weighed_lru_drops_the_least_recently_used_entries_until_their_weights_fit() {
        BoundedLru<String, String> lru = new BoundedLru<>(10, String::length);
        lru.put("a", "aaaa");
        lru.put("b", "bbbb");
        lru.get("a");

        lru.put("c", "cccccc");

        assertThat(lru.get("b")).as("least recently used").isNull();
        assertThat(lru.get("a")).isEqualTo("aaaa");
        assertThat(lru.get("c")).isEqualTo("cccccc");
    }

    @Test
    void a_value_heavier_than_the_capacity_is_not_kept_and_evicts_nothing() {
        BoundedLru<String, String> lru = new BoundedLru<>(5, String::length);
        lru.put("a", "aaaa");

        lru.put("big", "bbbbbb");

        assertThat(lru.get("big")).isNull();
        assertThat(lru.get("a")).isEqualTo("aaaa");
    }

    @Test
    void replacing_a_value_counts_only_the_new_weight() {
        BoundedLru<String, String> lru = new BoundedLru<>(6, String::length);
        lru.put("a", "aaaaa");
        lru.put("a", "a");

        lru.put("b", "bbbbb");

        assertThat(lru.get("a")).as("1 + 5 fits 6").isEqualTo("a");
        assertThat(lru.size()).isEqualTo(2);
    }
}
