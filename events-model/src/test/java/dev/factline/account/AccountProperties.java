package dev.factline.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.account.AccountState.Closed;
import dev.factline.account.AccountState.Open;
import dev.factline.account.AccountState.Unopened;
import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventCodec;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class AccountProperties {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final DecisionContext CONTEXT = new DecisionContext(ACCOUNT, Instant.parse("2026-01-02T03:04:05Z"), () -> DeciderScenario.ID);
    private static final AccountDecider DECIDER = new AccountDecider();
    private static final EventCodec<AccountEvent> CODEC = Accounts.codec();
    private static final Currency EUR = Money.currency("EUR");

    // ---- codec ----

    @Property
    void every_event_survives_an_encode_decode_round_trip(@ForAll("events") AccountEvent event) {
        SerializedEvent encoded = CODEC.encode(event);

        AccountEvent decoded = CODEC.decode(AccountCodecTest.stored(encoded.type(), encoded.schemaVersion(), encoded.payload()));

        assertThat(decoded).isEqualTo(event);
        assertThat(encoded.type()).isEqualTo(event.getClass().getSimpleName());
    }

    @Property
    void a_v1_deposit_upcasts_to_what_the_current_shape_decodes_to(@ForAll("money") Money amount) {
        ObjectNode v1 = Json.strictMapper().createObjectNode()
                .put("amount", amount.minorUnits())
                .put("currency", amount.currency().getCurrencyCode());
        MoneyDeposited current = new MoneyDeposited(amount, null);

        assertThat(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 1, v1.toString())))
                .isEqualTo(current)
                .isEqualTo(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 3, CODEC.encode(current).payload())));
    }

    @Property
    void a_v2_deposit_upcasts_to_what_the_current_shape_decodes_to(@ForAll("money") Money amount) {
        ObjectNode v2 = Json.strictMapper().createObjectNode();
        v2.set("amount", Json.strictMapper().valueToTree(amount));
        MoneyDeposited current = new MoneyDeposited(amount, null);

        assertThat(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 2, v2.toString())))
                .isEqualTo(current)
                .isEqualTo(CODEC.decode(AccountCodecTest.stored("MoneyDeposited", 3, CODEC.encode(current).payload())));
    }

    // ---- decider laws ----

    @Property
    void the_balance_is_never_negative_and_is_what_came_in_minus_what_went_out(@ForAll("commands") List<AccountCommand> commands) {
        Run run = Run.opened();
        for (AccountCommand command : commands) {
            run = run.attempt(command);
            Money balance = balanceOf(run.state());
            assertThat(balance.minorUnits()).isNotNegative();
            assertThat(BigInteger.valueOf(balance.minorUnits())).isEqualTo(netFlow(run.history()));
        }
        collectWhatHappened(run);
    }

    /** Proves the runs reach the interesting corners, so the property above is not vacuously true. */
    private static void collectWhatHappened(Run run) {
        Set<String> happened = new TreeSet<>();
        run.history().forEach(event -> happened.add(switch (event) {
            case DebitDeclined declined -> "declined " + declined.reason();
            default -> event.getClass().getSimpleName();
        }));
        run.refusals().forEach(rule -> happened.add("refused " + rule.code()));
        for (String corner : CORNERS) {
            Statistics.label(corner).collect(happened.contains(corner));
            Statistics.label(corner).coverage(coverage -> coverage.check(true).percentage(percent -> percent >= 1.0));
        }
    }

    private static final List<String> CORNERS = List.of(
            "MoneyWithdrawn", "AccountDebited", "AccountRefunded", "AccountClosed",
            "declined INSUFFICIENT_FUNDS", "declined CURRENCY_MISMATCH", "declined ACCOUNT_CLOSED",
            "refused insufficient-funds", "refused balance-overflow", "refused currency-mismatch",
            "refused order-already-debited", "refused order-not-debited", "refused order-already-refunded",
            "refused refund-exceeds-debit", "refused balance-not-zero", "refused account-closed");

    @Property
    void deciding_is_pure(@ForAll("commands") List<AccountCommand> commands, @ForAll("command") AccountCommand next) {
        AccountState state = Run.opened().attemptAll(commands).state();

        assertThat(outcome(next, state)).isEqualTo(outcome(next, state));
    }

    @Property
    void folding_a_stream_twice_gives_the_same_state(@ForAll("commands") List<AccountCommand> commands) {
        List<AccountEvent> history = Run.opened().attemptAll(commands).history();

        assertThat(DECIDER.evolveAll(DECIDER.initialState(), history))
                .isEqualTo(DECIDER.evolveAll(DECIDER.initialState(), history));
    }

    @Property(tries = 300)
    void a_fold_resumed_from_a_snapshot_at_any_version_equals_the_full_fold(@ForAll("commands") List<AccountCommand> commands) {
        List<AccountEvent> history = Run.opened().attemptAll(commands).history();
        AccountState full = DECIDER.evolveAll(DECIDER.initialState(), history);
        StateCodec<AccountState> snapshots = Accounts.TYPE.state();

        for (int version = 0; version <= history.size(); version++) {
            AccountState atVersion = DECIDER.evolveAll(DECIDER.initialState(), history.subList(0, version));
            AccountState restored = snapshots.decode(snapshots.encode(atVersion));
            assertThat(DECIDER.evolveAll(restored, history.subList(version, history.size()))).isEqualTo(full);
        }
    }

    @Property
    void a_state_survives_a_snapshot_round_trip(@ForAll("states") AccountState state) {
        StateCodec<AccountState> snapshots = Accounts.TYPE.state();

        assertThat(snapshots.decode(snapshots.encode(state))).isEqualTo(state);
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

    @Provide
    Arbitrary<List<AccountCommand>> commands() {
        return command().list().ofMaxSize(40);
    }

    /** Mostly small amounts in the account's currency, some huge ones and some in another currency. */
    @Provide
    Arbitrary<AccountCommand> command() {
        Arbitrary<Money> amount = Combinators.combine(
                        Arbitraries.frequencyOf(
                                Tuple.of(9, Arbitraries.longs().between(1, 1_000)),
                                Tuple.of(1, Arbitraries.longs().between(Long.MAX_VALUE / 2, Long.MAX_VALUE))),
                        Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(EUR)), Tuple.of(1, Arbitraries.just(Money.currency("USD")))))
                .as(Money::new);
        Arbitrary<String> orderId = Arbitraries.of("o-1", "o-2", "o-3", "o-4", "o-5");
        return Arbitraries.frequencyOf(
                Tuple.of(4, amount.map(DepositMoney::new)),
                Tuple.of(3, amount.map(WithdrawMoney::new)),
                Tuple.of(3, Combinators.combine(orderId, amount).as(DebitForOrder::new)),
                Tuple.of(3, Combinators.combine(orderId, amount).as(RefundForOrder::new)),
                Tuple.of(1, Arbitraries.just(new CloseAccount())));
    }

    @Provide
    Arbitrary<AccountState> states() {
        Arbitrary<AccountState> reached = Combinators.combine(commands(), Arbitraries.of(true, false))
                .as((commands, close) -> {
                    Run run = Run.opened().attemptAll(commands);
                    return (close ? run.emptiedAndClosed() : run).state();
                });
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(AccountState.initial())), Tuple.of(9, reached));
    }

    @Provide
    Arbitrary<AccountEvent> events() {
        Arbitrary<String> id = ids();
        Arbitrary<Money> money = money();
        return Arbitraries.oneOf(List.of(
                Combinators.combine(id, currencies()).as(AccountOpened::new),
                Combinators.combine(money, references()).as(MoneyDeposited::new),
                money.map(MoneyWithdrawn::new),
                Combinators.combine(id, money).as(AccountDebited::new),
                Combinators.combine(id, money, Arbitraries.of(DeclineReason.class)).as(DebitDeclined::new),
                Combinators.combine(id, money).as(AccountRefunded::new),
                Arbitraries.just(new AccountClosed())));
    }

    @Provide
    Arbitrary<Money> money() {
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), currencies()).as(Money::new);
    }

    private static Arbitrary<Currency> currencies() {
        return Arbitraries.of(Currency.getAvailableCurrencies().stream().sorted(Comparator.comparing(Currency::getCurrencyCode)).toList());
    }

    /** Ids as stream ids allow them: a letter or digit, then letters, digits and {@code . _ : -}. */
    private static Arbitrary<String> ids() {
        Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
        Arbitrary<String> rest = Arbitraries.strings().alpha().numeric().withChars("._:-").ofMaxLength(127);
        return Combinators.combine(first, rest).as((head, tail) -> head + tail);
    }

    /** References with the characters JSON must escape, non-ASCII ones, and sometimes none at all. */
    private static Arbitrary<String> references() {
        return Arbitraries.strings().alpha().numeric().withChars(" \"\\/'€üß\t").ofMinLength(1).ofMaxLength(100).injectNull(0.2);
    }
}
