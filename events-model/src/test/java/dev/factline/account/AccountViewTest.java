package dev.factline.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.time.Instant;
import java.util.Currency;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccountViewTest {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Instant OPENED = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void the_balance_follows_every_kind_of_money_movement_and_a_declined_debit_moves_only_the_version() {
        AccountView view = apply(null, 1, new AccountOpened("c-1", EUR));
        view = apply(view, 2, new MoneyDeposited(Money.of(1_000, "EUR"), "salary"));
        view = apply(view, 3, new MoneyWithdrawn(Money.of(200, "EUR")));
        view = apply(view, 4, new AccountDebited("o-1", Money.of(300, "EUR")));
        view = apply(view, 5, new AccountRefunded("o-1", Money.of(300, "EUR")));
        view = apply(view, 6, new DebitDeclined("o-2", Money.of(5_000, "EUR"), DeclineReason.INSUFFICIENT_FUNDS));

        assertThat(view).isEqualTo(new AccountView("a-1", "c-1", null, null, EUR, Money.of(800, "EUR"), AccountView.Status.OPEN, 6,
                OPENED.plusSeconds(1), OPENED.plusSeconds(6)));
    }

    @Test
    void a_closed_account_says_so() {
        AccountView view = apply(apply(null, 1, new AccountOpened("c-1", EUR)), 2, new AccountClosed());

        assertThat(view.status()).isEqualTo(AccountView.Status.CLOSED);
        assertThat(view.version()).isEqualTo(2);
    }

    @Test
    void a_history_that_does_not_begin_with_an_opening_is_refused_naming_the_stream() {
        assertThatThrownBy(() -> apply(null, 1, new MoneyDeposited(Money.of(1, "EUR"), null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("account#a-1 begins with MoneyDeposited at version 1, not with AccountOpened");
    }

    @Test
    void an_account_opened_twice_is_refused() {
        AccountView view = apply(null, 1, new AccountOpened("c-1", EUR));

        assertThatThrownBy(() -> apply(view, 2, new AccountOpened("c-1", EUR)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("account#a-1 is opened again at version 2");
    }

    private static AccountView apply(AccountView view, long version, AccountEvent event) {
        return AccountView.PROJECTION.apply(view, ACCOUNT, version, OPENED.plusSeconds(version), event);
    }
}
