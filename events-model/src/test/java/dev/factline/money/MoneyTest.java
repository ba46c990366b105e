package dev.factline.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.Json;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MoneyTest {

    @Test
    void is_never_negative() {
        assertThatThrownBy(() -> Money.of(-1, "EUR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never negative");
    }

    @Test
    void refuses_an_unknown_currency_code_by_name() {
        assertThatThrownBy(() -> Money.of(1, "EURO"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'EURO' is not an ISO 4217 currency code");
    }

    @Test
    void sums_that_would_overflow_are_refused_not_wrapped() {
        Money nearlyAll = Money.of(Long.MAX_VALUE - 1, "EUR");

        assertThatThrownBy(() -> nearlyAll.plus(Money.of(2, "EUR"))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE / 2 + 1, "EUR").times(2)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void subtracting_more_than_there_is_is_refused() {
        assertThatThrownBy(() -> Money.of(5, "EUR").minus(Money.of(6, "EUR")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never negative");
    }

    @Test
    void amounts_in_different_currencies_do_not_combine() {
        assertThatThrownBy(() -> Money.of(5, "EUR").plus(Money.of(5, "USD")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currencies differ");
    }

    @Test
    void arithmetic_within_one_currency() {
        assertThat(Money.of(5, "EUR").plus(Money.of(7, "EUR"))).isEqualTo(Money.of(12, "EUR"));
        assertThat(Money.of(12, "EUR").minus(Money.of(7, "EUR"))).isEqualTo(Money.of(5, "EUR"));
        assertThat(Money.of(3, "JPY").times(4)).isEqualTo(Money.of(12, "JPY"));
        assertThat(Money.of(3, "EUR").isLessThan(Money.of(4, "EUR"))).isTrue();
    }

    @Test
    void is_stored_as_its_two_components_only() throws Exception {
        String json = Json.strictMapper().writeValueAsString(Money.of(1250, "EUR"));

        assertThat(json).isEqualTo("{\"minorUnits\":1250,\"currency\":\"EUR\"}");
        assertThat(Json.strictMapper().readValue(json, Money.class)).isEqualTo(Money.of(1250, "EUR"));
    }
}
