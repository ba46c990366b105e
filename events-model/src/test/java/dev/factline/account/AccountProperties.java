package dev.factline.account;

import static dev.factline.eventsourcing.Generators.DIGITS;
import static dev.factline.eventsourcing.Generators.LOWER_CASE;
import static dev.factline.eventsourcing.Generators.UPPER_CASE;
import static dev.factline.eventsourcing.Generators.charactersOf;
import static dev.factline.eventsourcing.Generators.lists;
import static dev.factline.eventsourcing.Generators.longs;
import static dev.factline.eventsourcing.Generators.oneOf;
import static dev.factline.eventsourcing.Generators.orNull;
import static dev.factline.eventsourcing.Generators.strings;
import static dev.factline.eventsourcing.Generators.weight;
import static dev.factline.eventsourcing.Generators.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.AccountState.Closed;
import dev.factline.account.AccountState.Open;
import dev.factline.account.AccountState.Unopened;
import dev.factline.eventsourcing.Coverage;
import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.Generators;
import dev.factline.eventsourcing.Json;
import dev.factline.eventsourcing.RuleViolation;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccountProperties {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final DecisionContext CONTEXT = new DecisionContext(ACCOUNT, Instant.parse("2026-01-02T03:04:05Z"), () -> DeciderScenario.ID);
    private static final AccountDecider DECIDER = new AccountDecider();
    private static final EventCodec<AccountEvent> CODEC = Accounts.codec();
    private static final Currency EUR = Money.currency("EUR");

    // ---- codec ----

    @Test
    void every_event_survives_an_encode_decode_round_trip() {
        qt().withExamples(1_000).forAll(events()).checkAssert(event -> {
            SerializedEvent encoded = CODEC.encode(event);

            AccountEvent decoded = CODEC.decode(AccountCodecTest.stored(encoded.type(), encoded.schemaVersion(), encoded.payload()));

            assertThat(decoded).isEqualTo(event);
            assertThat(encoded.type()).isEqualTo(event.getClass().getSimpleName());
        });
    }

    @Test
    void a_v1_deposit_upcasts_to_what_the_current_shape_decodes_to() {
        qt().withExamples(1_000).forAll(money()).checkAssert(amount -> {
            ObjectNode v1 = Json.strictMapper().createObjectNode()
                    .put("amount", amount.minorUnits())
                    .put("currency", amount.currency().getCurrencyCode());
            MoneyDeposited current = new MoneyDeposited(amount, null);

            assertThat(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 1, v1.toString())))
                    .isEqualTo(current)
                    .isEqualTo(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 3, CODEC.encode(current).payload())));
        });
    }

    @Test
    void a_v2_deposit_upcasts_to_what_the_current_shape_decodes_to() {
        qt().withExamples(1_000).forAll(money()).checkAssert(amount -> {
            ObjectNode v2 = Json.strictMapper().createObjectNode();
            v2.set("amount", Json.strictMapper().valueToTree(amount));
            MoneyDeposited current = new MoneyDeposited(amount, null);

            assertThat(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 2, v2.toString())))
                    .isEqualTo(current)
                    .isEqualTo(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 3, CODEC.encode(current).payload())));
        });
    }

    // ---- decider laws ----

    @Test
    void the_balance_is_never_negative_and_is_what_came_in_minus_what_went_out() {
        Coverage coverage = new Coverage(CORNERS);
        qt().withExamples(1_000).forAll(commands()).checkAssert(commands -> {
            Run run = Run.opened();
            for (AccountCommand command : commands) {
                run = run.attempt(command);
                Money balance = balanceOf(run.state());
                assertThat(balance.minorUnits()).isNotNegative();
                assertThat(BigInteger.valueOf(balance.minorUnits())).isEqualTo(netFlow(run.history()));
            }
            coverage.run(whatHappened(run));
        });
        // The runs reach the interesting corners, so the property above is not vacuously true.
        coverage.assertEachReachedInAtLeast(1.0);
    }

    private static Set<String> whatHappened(Run run) {
        Set<String> happened = new TreeSet<>();
        run.history().forEach(event -> happened.add(switch (event) {
            case DebitDeclined declined -> "declined " + declined.reason();
            default -> event.getClass().getSimpleName();
        }));
        run.refusals().forEach(rule -> happened.add("refused " + rule.code()));
        return happened;
    }

    private static final List<String> CORNERS = List.of(
            "MoneyWithdrawn", "AccountDebited", "AccountRefunded", "AccountClosed",
            "declined INSUFFICIENT_FUNDS", "declined CURRENCY_MISMATCH", "declined ACCOUNT_CLOSED",
            "refused insufficient-funds", "refused balance-overflow", "refused currency-mismatch",
            "refused order-already-debited", "refused order-not-debited", "refused order-already-refunded",
            "refused refund-exceeds-debit", "refused balance-not-zero", "refused account-closed");

    @Test
    void deciding_is_pure() {
        qt().withExamples(1_000).forAll(commands(), command()).checkAssert((commands, next) -> {
            AccountState state = Run.opened().attemptAll(commands).state();

            assertThat(outcome(next, state)).isEqualTo(outcome(next, state));
        });
    }

    @Test
    void folding_a_stream_twice_gives_the_same_state() {
        qt().withExamples(1_000).forAll(commands()).checkAssert(commands -> {
            List<AccountEvent> history = Run.opened().attemptAll(commands).history();

            assertThat(DECIDER.evolveAll(DECIDER.initialState(), history))
                    .isEqualTo(DECIDER.evolveAll(DECIDER.initialState(), history));
        });
    }

    @Test
    void a_fold_resumed_from_a_snapshot_at_any_version_equals_the_full_fold() {
        qt().withExamples(300).forAll(commands()).checkAssert(commands -> {
            List<AccountEvent> history = Run.opened().attemptAll(commands).history();
            AccountState full = DECIDER.evolveAll(DECIDER.initialState(), history);
            StateCodec<AccountState> snapshots = Accounts.TYPE.state();

            for (int version = 0; version <= history.size(); version++) {
                AccountState atVersion = DECIDER.evolveAll(DECIDER.initialState(), history.subList(0, version));
                AccountState restored = snapshots.decode(snapshots.encode(atVersion));
                assertThat(DECIDER.evolveAll(restored, history.subList(version, history.size()))).isEqualTo(full);
            }
        });
    }

    @Test
    void a_state_survives_a_snapshot_round_trip() {
        qt().withExamples(1_000).forAll(states()).checkAssert(state -> {
            StateCodec<AccountState> snapshots = Accounts.TYPE.state();

            assertThat(snapshots.decode(snapshots.encode(state))).isEqualTo(state);
        });
    }

    // ---- the run of commands against one account ----

    /** The events decided so far and the state they fold to; refused commands leave no trace. */
    private record Run(List<AccountEvent> history, AccountState state, List<RuleViolation> refusals) {

        static Run opened() {
            AccountOpened opened = new AccountOpened("c-1", EUR);
            return new Run(List.of(opened), DECIDER.evolve(DECIDER.initialState(), opened), List.of());
        }

        Run attempt(AccountCommand command) {
            List<AccountEvent> decided;
            try {
                decided = DECIDER.decide(command, state, CONTEXT);
            } catch (DomainRuleViolationException refused) {
                return new Run(history, state, append(refusals, List.of(refused.violation())));
            }
            return new Run(append(history, decided), DECIDER.evolveAll(state, decided), refusals);
        }

        private static <T> List<T> append(List<T> list, List<? extends T> more) {
            List<T> longer = new ArrayList<>(list);
            longer.addAll(more);
            return List.copyOf(longer);
        }

        Run attemptAll(List<AccountCommand> commands) {
            Run run = this;
            for (AccountCommand command : commands) {
                run = run.attempt(command);
            }
            return run;
        }

        /** Withdraws whatever is left and closes, if the account is open. */
        Run emptiedAndClosed() {
            if (!(state instanceof Open open)) {
                return this;
            }
            Run emptied = open.balance().isZero() ? this : attempt(new WithdrawMoney(open.balance()));
            return emptied.attempt(new CloseAccount());
        }
    }

    private static Object outcome(AccountCommand command, AccountState state) {
        try {
            return DECIDER.decide(command, state, CONTEXT);
        } catch (DomainRuleViolationException refused) {
            return refused.violation();
        }
    }

    private static Money balanceOf(AccountState state) {
        return switch (state) {
            case Open open -> open.balance();
            case Closed closed -> closed.balance();
            case Unopened unopened -> throw new AssertionError("the run opened the account");
        };
    }

    /** Deposits - withdrawals - debits + refunds, in arbitrary precision so it cannot overflow itself. */
    private static BigInteger netFlow(List<AccountEvent> history) {
        BigInteger sum = BigInteger.ZERO;
        for (AccountEvent event : history) {
            sum = switch (event) {
                case MoneyDeposited deposited -> sum.add(BigInteger.valueOf(deposited.amount().minorUnits()));
                case MoneyWithdrawn withdrawn -> sum.subtract(BigInteger.valueOf(withdrawn.amount().minorUnits()));
                case AccountDebited debited -> sum.subtract(BigInteger.valueOf(debited.amount().minorUnits()));
                case AccountRefunded refunded -> sum.add(BigInteger.valueOf(refunded.amount().minorUnits()));
                case AccountOpened opened -> sum;
                case DebitDeclined declined -> sum;
                case AccountClosed closed -> sum;
            };
        }
        return sum;
    }

    // ---- generators ----

    private static Gen<List<AccountCommand>> commands() {
        return lists(command(), 0, 40);
    }

    /** Mostly small amounts in the account's currency, some huge ones and some in another currency. */
    private static Gen<AccountCommand> command() {
        Gen<Money> amount = Generators.<Long>weighted(weight(9, longs(1, 1_000)), weight(1, longs(Long.MAX_VALUE / 2, Long.MAX_VALUE)))
                .zip(Generators.<Currency>weighted(weight(9, Generate.constant(EUR)), weight(1, Generate.constant(Money.currency("USD")))), Money::new);
        Gen<String> orderId = Generate.pick(List.of("o-1", "o-2", "o-3", "o-4", "o-5"));
        return weighted(
                weight(4, amount.map(money -> new DepositMoney(money))),
                weight(3, amount.map(money -> new WithdrawMoney(money))),
                weight(3, orderId.zip(amount, DebitForOrder::new)),
                weight(3, orderId.zip(amount, RefundForOrder::new)),
                weight(1, Generate.constant(new CloseAccount())));
    }

    private static Gen<AccountState> states() {
        Gen<AccountState> reached = commands().zip(Generate.booleans(), (commands, close) -> {
            Run run = Run.opened().attemptAll(commands);
            return (close ? run.emptiedAndClosed() : run).state();
        });
        return weighted(weight(1, Generate.constant(AccountState.initial())), weight(9, reached));
    }

    private static Gen<AccountEvent> events() {
        Gen<String> id = ids();
        Gen<Money> money = money();
        return oneOf(
                id.zip(currencies(), AccountOpened::new),
                money.zip(references(), MoneyDeposited::new),
                money.map(MoneyWithdrawn::new),
                id.zip(money, AccountDebited::new),
                id.zip(money, Generate.enumValues(DeclineReason.class), DebitDeclined::new),
                id.zip(money, AccountRefunded::new),
                Generate.constant(new AccountClosed()));
    }

    private static Gen<Money> money() {
        return longs(0, Long.MAX_VALUE).zip(currencies(), Money::new);
    }

    private static Gen<Currency> currencies() {
        return Generate.pick(Currency.getAvailableCurrencies().stream().sorted(Comparator.comparing(Currency::getCurrencyCode)).toList());
    }

    /** Ids as stream ids allow them: a letter or digit, then letters, digits and {@code . _ : -}. */
    private static Gen<String> ids() {
        Gen<Character> first = oneOf(UPPER_CASE, LOWER_CASE, DIGITS);
        Gen<String> rest = strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS, charactersOf("._:-")), 0, 127);
        return first.zip(rest, (head, tail) -> head + tail);
    }

    /** References with the characters JSON must escape, non-ASCII ones, and sometimes none at all. */
    private static Gen<@Nullable String> references() {
        return orNull(strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS, charactersOf(" \"\\/'€üß\t")), 1, 100), 20);
    }
}
