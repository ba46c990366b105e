package dev.factline.benchmarks.pure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.money.Money;
import dev.factline.order.OrderEvent.OrderPlaced;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Each benchmark, run once, computes what the real path computes, so the figures time the real thing. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PurePathBenchmarksTest {

    private final PurePathBenchmarks benchmarks = new PurePathBenchmarks();

    @Test
    void decide_and_encode_gives_the_deposit_as_the_store_receives_it() {
        PurePathBenchmarks.WritePath write = new PurePathBenchmarks.WritePath();
        write.setUp();

        List<NewEvent> encoded = benchmarks.decideAndEncode(write);

        assertThat(encoded).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("MoneyDeposited");
            assertThat(event.schemaVersion()).isEqualTo(Accounts.MONEY_DEPOSITED_SCHEMA_VERSION);
            assertThat(event.metadata()).isEqualTo(write.metadata);
            assertThat(Accounts.codec().decode(event.recordedAt(write.stream, 3)))
                    .isEqualTo(new MoneyDeposited(Money.of(1_250, "EUR"), "rent, March"));
        });
    }

    @Test
    void the_v1_deposit_is_upcast_and_folded_onto_the_view() {
        PurePathBenchmarks.ProjectedDeposit projected = new PurePathBenchmarks.ProjectedDeposit();
        projected.setUp();

        AccountView view = benchmarks.decodeUpcastAndFold(projected);

        assertThat(view.balance()).isEqualTo(Money.of(1_250, "EUR"));
        assertThat(view.version()).isEqualTo(2);
    }

    @Test
    void the_round_trips_give_back_the_events_they_encoded() {
        PurePathBenchmarks.RoundTrip trip = new PurePathBenchmarks.RoundTrip();
        trip.setUp();

        assertThat(benchmarks.accountEventRoundTrip(trip)).isEqualTo(trip.deposit);
        assertThat(benchmarks.orderEventRoundTrip(trip)).isInstanceOf(OrderPlaced.class).isEqualTo(trip.placed);
    }
}
