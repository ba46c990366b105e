package dev.factline.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.account.AccountState.Closed;
import dev.factline.account.AccountState.Open;
import dev.factline.account.AccountState.OrderLedger;
import dev.factline.account.AccountState.OrderPayment;
import dev.factline.account.AccountState.Unopened;
import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccountDeciderTest {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final Currency EUR = Money.currency("EUR");
    private static final AccountOpened OPENED = new AccountOpened("c-1", EUR);
    private static final AccountClosed CLOSED = new AccountClosed();

    private static Money eur(long minorUnits) {
        return Money.of(minorUnits, "EUR");
    }

    private static Money usd(long minorUnits) {
        return Money.of(minorUnits, "USD");
    }

    private static DeciderScenario<AccountCommand, AccountEvent, AccountState> account() {
        return DeciderScenario.of(new AccountDecider(), ACCOUNT);
    }

    private static Open open(AccountState state) {
        assertThat(state).isInstanceOf(Open.class);
        return (Open) state;
    }

    @Test
    void a_new_stream_is_an_unopened_account() {
        assertThat(new AccountDecider().initialState()).isEqualTo(new Unopened());
    }

    @Nested
    class Opening {

        @Test
        void opens_an_empty_account_for_its_owner_in_its_currency() {
            AccountState state = account().when(new OpenAccount("c-1", EUR)).then(OPENED);

            assertThat(state).isEqualTo(new Open("c-1", EUR, eur(0), OrderLedger.EMPTY));
        }

        @Test
        void an_account_is_opened_only_once() {
            var refusal = account().given(OPENED).when(new OpenAccount("c-2", EUR)).thenRefused(AccountRule.ACCOUNT_ALREADY_OPEN);

            assertThat(refusal.getMessage()).contains("a-1", "c-1", "EUR");
            assertThat(refusal.code()).isEqualTo("account-already-open");
        }

        @Test
        void a_closed_account_is_not_opened_again() {
            var refusal = account().given(OPENED, CLOSED).when(new OpenAccount("c-1", EUR)).thenRefused(AccountRule.ACCOUNT_ALREADY_OPEN);

            assertThat(refusal.getMessage()).contains("a-1", "closed");
        }

        @Test
        void the_owner_must_be_an_id() {
            assertThatThrownBy(() -> new OpenAccount("no spaces", EUR))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ownerId");
        }

        @Test
        void the_currency_is_required() {
            assertThatThrownBy(() -> new OpenAccount("c-1", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("currency");
        }
    }

    @Nested
    class Depositing {

        @Test
        void a_deposit_raises_the_balance() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(100), null))
                    .when(new DepositMoney(eur(250), "salary"))
                    .then(new MoneyDeposited(eur(250), "salary"));

            assertThat(open(state).balance()).isEqualTo(eur(350));
        }

        @Test
        void a_deposit_without_reference_records_none() {
            account().given(OPENED).when(new DepositMoney(eur(250))).then(new MoneyDeposited(eur(250), null));
        }

        @Test
        void a_deposit_to_an_unopened_account_is_refused() {
            var refusal = account().when(new DepositMoney(eur(250))).thenRefused(AccountRule.ACCOUNT_NOT_OPEN);

            assertThat(refusal.getMessage()).contains("a-1", "250 EUR");
        }

        @Test
        void a_deposit_to_a_closed_account_is_refused() {
            var refusal = account().given(OPENED, CLOSED).when(new DepositMoney(eur(250))).thenRefused(AccountRule.ACCOUNT_CLOSED);

            assertThat(refusal.getMessage()).contains("a-1", "closed", "250 EUR");
        }

        @Test
        void a_deposit_in_another_currency_is_refused() {
            var refusal = account().given(OPENED).when(new DepositMoney(usd(250))).thenRefused(AccountRule.CURRENCY_MISMATCH);

            assertThat(refusal.getMessage()).contains("a-1", "EUR", "250 USD");
        }

        @Test
        void a_deposit_the_balance_cannot_hold_is_refused() {
            var refusal = account().given(OPENED, new MoneyDeposited(eur(Long.MAX_VALUE - 10), null))
                    .when(new DepositMoney(eur(11)))
                    .thenRefused(AccountRule.BALANCE_OVERFLOW);

            assertThat(refusal.getMessage()).contains("a-1", "11 EUR", String.valueOf(Long.MAX_VALUE - 10), String.valueOf(Long.MAX_VALUE));
        }

        @Test
        void a_deposit_that_fills_the_balance_exactly_is_taken() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(Long.MAX_VALUE - 10), null))
                    .when(new DepositMoney(eur(10)))
                    .then(new MoneyDeposited(eur(10), null));

            assertThat(open(state).balance()).isEqualTo(eur(Long.MAX_VALUE));
        }

        @Test
        void the_amount_must_be_more_than_zero() {
            assertThatThrownBy(() -> new DepositMoney(eur(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("amount must be more than zero");
        }

        @Test
        void the_amount_is_required() {
            assertThatThrownBy(() -> new DepositMoney(null, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("amount is required");
        }

        @Test
        void a_reference_is_at_most_100_characters() {
            assertThat(new DepositMoney(eur(1), "r".repeat(100)).reference()).hasSize(100);
            assertThatThrownBy(() -> new DepositMoney(eur(1), "r".repeat(101)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reference")
                    .hasMessageContaining("101 characters");
        }

        @Test
        void a_reference_is_not_blank() {
            assertThatThrownBy(() -> new DepositMoney(eur(1), "  "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reference");
            assertThatThrownBy(() -> new DepositMoney(eur(1), ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reference");
        }
    }

    @Nested
    class Withdrawing {

        @Test
        void a_withdrawal_lowers_the_balance() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(500), null))
                    .when(new WithdrawMoney(eur(200)))
                    .then(new MoneyWithdrawn(eur(200)));

            assertThat(open(state).balance()).isEqualTo(eur(300));
        }

        @Test
        void the_whole_balance_can_be_withdrawn() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(500), null))
                    .when(new WithdrawMoney(eur(500)))
                    .then(new MoneyWithdrawn(eur(500)));

            assertThat(open(state).balance()).isEqualTo(eur(0));
        }

        @Test
        void a_withdrawal_that_would_overdraw_is_refused() {
            var refusal = account().given(OPENED, new MoneyDeposited(eur(300), null))
                    .when(new WithdrawMoney(eur(301)))
                    .thenRefused(AccountRule.INSUFFICIENT_FUNDS);

            assertThat(refusal.getMessage()).contains("a-1", "301 EUR", "300 EUR");
        }

        @Test
        void a_withdrawal_from_an_unopened_account_is_refused() {
            var refusal = account().when(new WithdrawMoney(eur(1))).thenRefused(AccountRule.ACCOUNT_NOT_OPEN);

            assertThat(refusal.getMessage()).contains("a-1", "withdrawal of 1 EUR");
        }

        @Test
        void a_withdrawal_from_a_closed_account_is_refused() {
            var refusal = account().given(OPENED, CLOSED).when(new WithdrawMoney(eur(1))).thenRefused(AccountRule.ACCOUNT_CLOSED);

            assertThat(refusal.getMessage()).contains("a-1", "withdrawal of 1 EUR");
        }

        @Test
        void a_withdrawal_in_another_currency_is_refused() {
            var refusal = account().given(OPENED, new MoneyDeposited(eur(500), null))
                    .when(new WithdrawMoney(usd(100)))
                    .thenRefused(AccountRule.CURRENCY_MISMATCH);

            assertThat(refusal.getMessage()).contains("a-1", "EUR", "100 USD");
        }

        @Test
        void the_amount_must_be_more_than_zero() {
            assertThatThrownBy(() -> new WithdrawMoney(eur(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("amount");
        }
    }

    @Nested
    class Debiting_for_an_order {

        @Test
        void a_debit_the_account_can_pay_is_taken_and_remembered() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(1000), null))
                    .when(new DebitForOrder("o-1", eur(400)))
                    .then(new AccountDebited("o-1", eur(400)));

            assertThat(open(state).balance()).isEqualTo(eur(600));
            assertThat(open(state).orders().paymentFor("o-1")).contains(new OrderPayment(eur(400), null));
        }

        @Test
        void a_debit_of_the_whole_balance_is_taken() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(400), null))
                    .when(new DebitForOrder("o-1", eur(400)))
                    .then(new AccountDebited("o-1", eur(400)));

            assertThat(open(state).balance()).isEqualTo(eur(0));
        }

        @Test
        void an_order_is_debited_only_once() {
            var refusal = account().given(OPENED, new MoneyDeposited(eur(1000), null), new AccountDebited("o-1", eur(400)))
                    .when(new DebitForOrder("o-1", eur(400)))
                    .thenRefused(AccountRule.ORDER_ALREADY_DEBITED);

            assertThat(refusal.getMessage()).contains("o-1", "a-1", "400 EUR");
        }

        @Test
        void an_order_debited_before_closing_is_still_not_debited_twice() {
            account().given(OPENED, new MoneyDeposited(eur(400), null), new AccountDebited("o-1", eur(400)), CLOSED)
                    .when(new DebitForOrder("o-1", eur(400)))
                    .thenRefused(AccountRule.ORDER_ALREADY_DEBITED);
        }

        @Test
        void a_debit_the_balance_cannot_cover_is_declined_and_changes_nothing() {
            AccountState before = new AccountDecider().evolveAll(AccountState.initial(),
                    List.of(OPENED, new MoneyDeposited(eur(300), null)));

            AccountState after = account().given(OPENED, new MoneyDeposited(eur(300), null))
                    .when(new DebitForOrder("o-1", eur(301)))
                    .then(new DebitDeclined("o-1", eur(301), DeclineReason.INSUFFICIENT_FUNDS));

            assertThat(after).isEqualTo(before);
        }

        @Test
        void a_debit_of_a_closed_account_is_declined() {
            AccountState state = account().given(OPENED, CLOSED)
                    .when(new DebitForOrder("o-1", eur(100)))
                    .then(new DebitDeclined("o-1", eur(100), DeclineReason.ACCOUNT_CLOSED));

            assertThat(state).isInstanceOf(Closed.class);
        }

        @Test
        void a_debit_in_another_currency_is_declined() {
            account().given(OPENED, new MoneyDeposited(eur(1000), null))
                    .when(new DebitForOrder("o-1", usd(100)))
                    .then(new DebitDeclined("o-1", usd(100), DeclineReason.CURRENCY_MISMATCH));
        }

        @Test
        void an_order_declined_before_can_be_debited_once_the_money_is_there() {
            AccountState state = account().given(
                            OPENED, new DebitDeclined("o-1", eur(100), DeclineReason.INSUFFICIENT_FUNDS), new MoneyDeposited(eur(100), null))
                    .when(new DebitForOrder("o-1", eur(100)))
                    .then(new AccountDebited("o-1", eur(100)));

            assertThat(open(state).balance()).isEqualTo(eur(0));
        }

        @Test
        void a_debit_of_an_unopened_account_is_refused() {
            var refusal = account().when(new DebitForOrder("o-1", eur(100))).thenRefused(AccountRule.ACCOUNT_NOT_OPEN);

            assertThat(refusal.getMessage()).contains("a-1", "o-1", "100 EUR");
        }

        @Test
        void the_order_must_be_an_id_and_the_amount_more_than_zero() {
            assertThatThrownBy(() -> new DebitForOrder("", eur(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("orderId");
            assertThatThrownBy(() -> new DebitForOrder("o-1", eur(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("amount");
        }
    }

    @Nested
    class Refunding_an_order {

        private final AccountEvent[] paid = {OPENED, new MoneyDeposited(eur(1000), null), new AccountDebited("o-1", eur(400))};

        @Test
        void a_refund_gives_the_debit_back_and_is_remembered() {
            AccountState state = account().given(paid)
                    .when(new RefundForOrder("o-1", eur(400)))
                    .then(new AccountRefunded("o-1", eur(400)));

            assertThat(open(state).balance()).isEqualTo(eur(1000));
            assertThat(open(state).orders().paymentFor("o-1")).contains(new OrderPayment(eur(400), eur(400)));
        }

        @Test
        void a_partial_refund_is_taken() {
            AccountState state = account().given(paid)
                    .when(new RefundForOrder("o-1", eur(150)))
                    .then(new AccountRefunded("o-1", eur(150)));

            assertThat(open(state).balance()).isEqualTo(eur(750));
        }

        @Test
        void an_order_never_debited_is_not_refunded() {
            var refusal = account().given(paid).when(new RefundForOrder("o-2", eur(100))).thenRefused(AccountRule.ORDER_NOT_DEBITED);

            assertThat(refusal.getMessage()).contains("o-2", "a-1", "100 EUR");
        }

        @Test
        void a_declined_order_is_not_refunded() {
            account().given(OPENED, new DebitDeclined("o-1", eur(100), DeclineReason.INSUFFICIENT_FUNDS))
                    .when(new RefundForOrder("o-1", eur(100)))
                    .thenRefused(AccountRule.ORDER_NOT_DEBITED);
        }

        @Test
        void an_order_is_refunded_only_once() {
            var refusal = account().given(paid).given(new AccountRefunded("o-1", eur(100)))
                    .when(new RefundForOrder("o-1", eur(100)))
                    .thenRefused(AccountRule.ORDER_ALREADY_REFUNDED);

            assertThat(refusal.getMessage()).contains("o-1", "a-1", "100 EUR");
        }

        @Test
        void a_refund_larger_than_the_debit_is_refused() {
            var refusal = account().given(paid).when(new RefundForOrder("o-1", eur(401))).thenRefused(AccountRule.REFUND_EXCEEDS_DEBIT);

            assertThat(refusal.getMessage()).contains("o-1", "401 EUR", "400 EUR");
        }

        @Test
        void a_refund_in_another_currency_than_the_debit_is_refused() {
            var refusal = account().given(paid).when(new RefundForOrder("o-1", usd(100))).thenRefused(AccountRule.CURRENCY_MISMATCH);

            assertThat(refusal.getMessage()).contains("o-1", "400 EUR", "100 USD");
        }

        @Test
        void a_refund_to_a_closed_account_is_refused() {
            var refusal = account().given(OPENED, new MoneyDeposited(eur(400), null), new AccountDebited("o-1", eur(400)), CLOSED)
                    .when(new RefundForOrder("o-1", eur(400)))
                    .thenRefused(AccountRule.ACCOUNT_CLOSED);

            assertThat(refusal.getMessage()).contains("a-1", "o-1", "400 EUR");
        }

        @Test
        void a_refund_the_balance_cannot_hold_is_refused() {
            var refusal = account().given(paid).given(new MoneyDeposited(eur(Long.MAX_VALUE - 600), null))
                    .when(new RefundForOrder("o-1", eur(400)))
                    .thenRefused(AccountRule.BALANCE_OVERFLOW);

            assertThat(refusal.getMessage()).contains("a-1", "o-1", "400 EUR", String.valueOf(Long.MAX_VALUE));
        }

        @Test
        void a_refund_to_an_unopened_account_is_refused() {
            var refusal = account().when(new RefundForOrder("o-1", eur(100))).thenRefused(AccountRule.ACCOUNT_NOT_OPEN);

            assertThat(refusal.getMessage()).contains("a-1", "o-1", "100 EUR");
        }
    }

    @Nested
    class Closing {

        @Test
        void an_empty_account_closes_and_keeps_its_order_ledger() {
            AccountState state = account().given(OPENED, new MoneyDeposited(eur(400), null), new AccountDebited("o-1", eur(400)))
                    .when(new CloseAccount())
                    .then(CLOSED);

            assertThat(state).isEqualTo(new Closed("c-1", EUR, new OrderLedger(Map.of("o-1", new OrderPayment(eur(400), null)))));
            assertThat(((Closed) state).balance()).isEqualTo(eur(0));
        }

        @Test
        void an_account_holding_money_does_not_close() {
            var refusal = account().given(OPENED, new MoneyDeposited(eur(1), null))
                    .when(new CloseAccount())
                    .thenRefused(AccountRule.BALANCE_NOT_ZERO);

            assertThat(refusal.getMessage()).contains("a-1", "1 EUR");
        }

        @Test
        void a_closed_account_does_not_close_again() {
            var refusal = account().given(OPENED, CLOSED).when(new CloseAccount()).thenRefused(AccountRule.ACCOUNT_CLOSED);

            assertThat(refusal.getMessage()).contains("a-1", "already closed");
        }

        @Test
        void an_unopened_account_does_not_close() {
            var refusal = account().when(new CloseAccount()).thenRefused(AccountRule.ACCOUNT_NOT_OPEN);

            assertThat(refusal.getMessage()).contains("a-1");
        }
    }

    @Nested
    class Evolving {

        private final AccountDecider decider = new AccountDecider();

        @Test
        void a_declined_debit_changes_no_state() {
            AccountState open = decider.evolve(AccountState.initial(), OPENED);

            assertThat(decider.evolve(open, new DebitDeclined("o-1", eur(5), DeclineReason.INSUFFICIENT_FUNDS))).isSameAs(open);
        }

        @Test
        void an_event_no_decision_could_have_produced_is_reported_as_an_inconsistent_history() {
            assertThatThrownBy(() -> decider.evolve(AccountState.initial(), new MoneyDeposited(eur(5), null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inconsistent");
            assertThatThrownBy(() -> decider.evolveAll(AccountState.initial(), List.of(OPENED, OPENED)))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void every_rule_has_a_distinct_kebab_case_code() {
            assertThat(AccountRule.values())
                    .extracting(AccountRule::code)
                    .doesNotHaveDuplicates()
                    .allMatch(code -> code.matches("[a-z]+(-[a-z]+)*"));
        }
    }
}
