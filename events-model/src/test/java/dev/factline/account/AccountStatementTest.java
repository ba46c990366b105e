package dev.factline.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.account.AccountStatement.Month;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Currency;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccountStatementTest {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final Currency EUR = Currency.getInstance("EUR");

    private @Nullable AccountStatement statement;
    private long version;

    @Test
    void each_month_opens_with_the_last_ones_closing_balance_and_sums_what_moved_in_it() {
        apply("2026-01-31T23:59:59Z", new AccountOpened("owner-1", EUR));
        apply("2026-01-31T23:59:59.5Z", new MoneyDeposited(Money.of(10_000, "EUR"), "salary"));
        apply("2026-02-01T00:00:00Z", new MoneyWithdrawn(Money.of(2_500, "EUR")));
        apply("2026-02-10T12:00:00Z", new AccountDebited("o-1", Money.of(3_000, "EUR")));
        apply("2026-02-11T12:00:00Z", new DebitDeclined("o-2", Money.of(90_000, "EUR"), DeclineReason.INSUFFICIENT_FUNDS));
        apply("2026-04-02T08:00:00Z", new AccountRefunded("o-1", Money.of(3_000, "EUR")));

        assertThat(statement.months()).containsExactly(
                new Month(YearMonth.of(2026, 1), 0, big(10_000), big(0), big(0), big(0), 10_000),
                new Month(YearMonth.of(2026, 2), 10_000, big(0), big(2_500), big(3_000), big(0), 4_500),
                new Month(YearMonth.of(2026, 4), 4_500, big(0), big(0), big(0), big(3_000), 7_500));
        assertThat(statement.version()).isEqualTo(6);
        assertThat(statement.updatedAt()).isEqualTo(Instant.parse("2026-04-02T08:00:00Z"));
    }

    @Test
    void an_event_stamped_before_the_last_month_by_a_slower_clock_lands_in_the_last_month_which_never_reopens() {
        apply("2026-03-01T00:00:00.010Z", new AccountOpened("owner-1", EUR));
        apply("2026-02-28T23:59:59.990Z", new MoneyDeposited(Money.of(500, "EUR"), null));

        assertThat(statement.months()).containsExactly(new Month(YearMonth.of(2026, 3), 0, big(500), big(0), big(0), big(0), 500));
    }

    @Test
    void a_months_flows_sum_past_a_long_while_its_balances_stay_the_accounts() {
        apply("2026-05-01T00:00:00Z", new AccountOpened("owner-1", EUR));
        for (int round = 0; round < 3; round++) {
            apply("2026-05-02T00:00:00Z", new MoneyDeposited(Money.of(Long.MAX_VALUE - 1, "EUR"), null));
            apply("2026-05-02T00:00:01Z", new MoneyWithdrawn(Money.of(Long.MAX_VALUE - 1, "EUR")));
        }

        Month may = statement.months().get(0);
        assertThat(may.deposits()).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE - 1).multiply(BigInteger.valueOf(3)));
        assertThat(may.closing()).isZero();
    }

    @Test
    void a_statement_begins_only_with_the_opening() {
        assertThatThrownBy(() -> apply("2026-01-01T00:00:00Z", new MoneyDeposited(Money.of(1, "EUR"), null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not with AccountOpened");
    }

    @Test
    void its_json_reads_back_as_the_same_statement() {
        apply("2026-01-15T10:00:00Z", new AccountOpened("owner-1", EUR));
        apply("2026-01-16T10:00:00Z", new MoneyDeposited(Money.of(1_250, "EUR"), null));

        String json = AccountStatement.MODEL.toJson(statement);

        assertThat(json).contains("\"month\":\"2026-01\"", "\"deposits\":1250");
        assertThat(AccountStatement.MODEL.fromJson(json)).isEqualTo(statement);
    }

    private void apply(String at, AccountEvent event) {
        statement = AccountStatement.PROJECTION.apply(statement, ACCOUNT, ++version, Instant.parse(at), event);
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }
}
