package dev.factline.account;

import dev.factline.account.AccountState.Closed;
import dev.factline.account.AccountState.Open;
import dev.factline.account.AccountState.OrderLedger;
import dev.factline.account.AccountState.OrderPayment;
import dev.factline.account.AccountState.Unopened;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.Decider;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.money.Money;
import java.util.List;

/**
 * The account's rules.
 *
 * <p>Customers' deposits and withdrawals are refused when the account cannot take them. Debits
 * for orders are different: the saga asking has already taken the order, so an account that
 * cannot pay answers with the fact {@link DebitDeclined} and its reason, and the saga cancels
 * the order. Only a debit of an order that was already paid is refused outright.
 */
public final class AccountDecider implements Decider<AccountCommand, AccountEvent, AccountState> {

    @Override
    public AccountState initialState() {
        return AccountState.initial();
    }

    @Override
    public List<AccountEvent> decide(AccountCommand command, AccountState state, DecisionContext context) {
        String account = context.streamId().id();
        return switch (command) {
            case OpenAccount open -> open(open, state, account);
            case DepositMoney deposit -> deposit(deposit, state, account);
            case WithdrawMoney withdrawal -> withdraw(withdrawal, state, account);
            case DebitForOrder debit -> debit(debit, state, account);
            case RefundForOrder refund -> refund(refund, state, account);
            case CloseAccount close -> close(close, state, account);
        };
    }

    @Override
    public AccountState evolve(AccountState state, AccountEvent event) {
        return switch (event) {
            case AccountOpened opened -> switch (state) {
                case Unopened unopened -> Open.opened(opened.ownerId(), opened.currency());
                case Open open -> throw impossible(state, event);
                case Closed closed -> throw impossible(state, event);
            };
            case MoneyDeposited deposited -> requireOpen(state, event).credited(deposited.amount());
            case MoneyWithdrawn withdrawn -> requireOpen(state, event).debited(withdrawn.amount());
            case AccountDebited debited -> {
                Open open = requireOpen(state, event);
                yield open.debited(debited.amount()).withOrders(open.orders().withDebit(debited.orderId(), debited.amount()));
            }
            case DebitDeclined declined -> state;
            case AccountRefunded refunded -> {
                Open open = requireOpen(state, event);
                yield open.credited(refunded.amount()).withOrders(open.orders().withRefund(refunded.orderId(), refunded.amount()));
            }
            case AccountClosed closed -> requireOpen(state, event).closed();
        };
    }

    private static List<AccountEvent> open(OpenAccount command, AccountState state, String account) {
        return switch (state) {
            case Unopened unopened -> List.of(new AccountOpened(command.ownerId(), command.currency(), command.holderName(), command.holderEmail()));
            case Open open -> throw refused(AccountRule.ACCOUNT_ALREADY_OPEN,
                    "account " + account + " is already open, for owner " + open.ownerId() + " in " + open.currency());
            case Closed closed -> throw refused(AccountRule.ACCOUNT_ALREADY_OPEN,
                    "account " + account + " was opened before, for owner " + closed.ownerId() + ", and is now closed; an account is opened only once");
        };
    }

    private static List<AccountEvent> deposit(DepositMoney command, AccountState state, String account) {
        Open open = requireOpenFor(command, state, account);
        Money amount = command.amount();
        requireAccountCurrency(open, amount, "a deposit", account);
        if (!fits(open.balance(), amount)) {
            throw overflow(open, amount, "a deposit", account);
        }
        return List.of(new MoneyDeposited(amount, command.reference()));
    }

    private static List<AccountEvent> withdraw(WithdrawMoney command, AccountState state, String account) {
        Open open = requireOpenFor(command, state, account);
        Money amount = command.amount();
        requireAccountCurrency(open, amount, "a withdrawal", account);
        if (open.balance().isLessThan(amount)) {
            throw refused(AccountRule.INSUFFICIENT_FUNDS,
                    "cannot withdraw " + amount + " from account " + account + ": its balance is only " + open.balance());
        }
        return List.of(new MoneyWithdrawn(amount));
    }

    private static List<AccountEvent> debit(DebitForOrder command, AccountState state, String account) {
        String orderId = command.orderId();
        Money amount = command.amount();
        return switch (state) {
            case Unopened unopened -> throw notOpen(command, account);
            case Closed closed -> {
                requireNotDebited(closed.orders(), orderId, account);
                yield List.of(new DebitDeclined(orderId, amount, DeclineReason.ACCOUNT_CLOSED));
            }
            case Open open -> {
                requireNotDebited(open.orders(), orderId, account);
                if (!amount.hasCurrency(open.currency())) {
                    yield List.of(new DebitDeclined(orderId, amount, DeclineReason.CURRENCY_MISMATCH));
                }
                if (open.balance().isLessThan(amount)) {
                    yield List.of(new DebitDeclined(orderId, amount, DeclineReason.INSUFFICIENT_FUNDS));
                }
                yield List.of(new AccountDebited(orderId, amount));
            }
        };
    }

    private static List<AccountEvent> refund(RefundForOrder command, AccountState state, String account) {
        OrderLedger orders = switch (state) {
            case Unopened unopened -> throw notOpen(command, account);
            case Open open -> open.orders();
            case Closed closed -> closed.orders();
        };
        String orderId = command.orderId();
        Money amount = command.amount();
        OrderPayment payment = orders.paymentFor(orderId).orElseThrow(() -> refused(AccountRule.ORDER_NOT_DEBITED,
                "order " + orderId + " was never debited from account " + account + ", so there is nothing to refund of " + amount));
        Money debit = payment.debited();
        if (payment.refunded() instanceof Money earlier) {
            throw refused(AccountRule.ORDER_ALREADY_REFUNDED,
                    "order " + orderId + " was already refunded " + earlier + " by account " + account + "; a refund of " + amount + " would be a second");
        }
        if (!amount.hasCurrency(debit.currency())) {
            throw refused(AccountRule.CURRENCY_MISMATCH,
                    "order " + orderId + " was debited " + debit + ", so it cannot be refunded " + amount);
        }
        if (debit.isLessThan(amount)) {
            throw refused(AccountRule.REFUND_EXCEEDS_DEBIT,
                    "a refund of " + amount + " for order " + orderId + " exceeds the " + debit + " it was debited");
        }
        Open open = requireOpenFor(command, state, account);
        if (!fits(open.balance(), amount)) {
            throw overflow(open, amount, "a refund for order " + orderId, account);
        }
        return List.of(new AccountRefunded(orderId, amount));
    }

    private static List<AccountEvent> close(CloseAccount command, AccountState state, String account) {
        if (state instanceof Closed) {
            throw refused(AccountRule.ACCOUNT_CLOSED, "account " + account + " is already closed");
        }
        Open open = requireOpenFor(command, state, account);
        if (!open.balance().isZero()) {
            throw refused(AccountRule.BALANCE_NOT_ZERO,
                    "account " + account + " still holds " + open.balance() + "; only an empty account can close");
        }
        return List.of(new AccountClosed());
    }

    private static Open requireOpenFor(AccountCommand command, AccountState state, String account) {
        return switch (state) {
            case Open open -> open;
            case Unopened unopened -> throw notOpen(command, account);
            case Closed closed -> throw refused(AccountRule.ACCOUNT_CLOSED,
                    "account " + account + " is closed, so it refuses " + describe(command));
        };
    }

    private static void requireAccountCurrency(Open open, Money amount, String what, String account) {
        if (!amount.hasCurrency(open.currency())) {
            throw refused(AccountRule.CURRENCY_MISMATCH,
                    "account " + account + " holds " + open.currency() + ", so it refuses " + what + " of " + amount);
        }
    }

    private static void requireNotDebited(OrderLedger orders, String orderId, String account) {
        orders.paymentFor(orderId).ifPresent(earlier -> {
            throw refused(AccountRule.ORDER_ALREADY_DEBITED,
                    "order " + orderId + " was already debited " + earlier.debited() + " from account " + account);
        });
    }

    /** Whether {@code balance + amount} still fits in a {@code long}; both are non-negative. */
    private static boolean fits(Money balance, Money amount) {
        return amount.minorUnits() <= Long.MAX_VALUE - balance.minorUnits();
    }

    private static DomainRuleViolationException overflow(Open open, Money amount, String what, String account) {
        return refused(AccountRule.BALANCE_OVERFLOW, what + " of " + amount + " would take the balance of account " + account
                + " from " + open.balance() + " past the most it can hold, " + Long.MAX_VALUE + " minor units");
    }

    private static DomainRuleViolationException notOpen(AccountCommand command, String account) {
        return refused(AccountRule.ACCOUNT_NOT_OPEN,
                "account " + account + " has not been opened, so it refuses " + describe(command));
    }

    private static DomainRuleViolationException refused(AccountRule rule, String message) {
        return new DomainRuleViolationException(rule, message);
    }

    /** The command in words, for messages: "a deposit of 500 EUR (minor units)", "being closed". */
    private static String describe(AccountCommand command) {
        return switch (command) {
            case OpenAccount open -> "opening it for owner " + open.ownerId();
            case DepositMoney deposit -> "a deposit of " + deposit.amount();
            case WithdrawMoney withdrawal -> "a withdrawal of " + withdrawal.amount();
            case DebitForOrder debit -> "a debit of " + debit.amount() + " for order " + debit.orderId();
            case RefundForOrder refund -> "a refund of " + refund.amount() + " for order " + refund.orderId();
            case CloseAccount close -> "being closed";
        };
    }

    private static Open requireOpen(AccountState state, AccountEvent event) {
        return switch (state) {
            case Open open -> open;
            case Unopened unopened -> throw impossible(state, event);
            case Closed closed -> throw impossible(state, event);
        };
    }

    /** An event that no decision of this decider could have produced in this state: a corrupt stream. */
    private static IllegalStateException impossible(AccountState state, AccountEvent event) {
        return new IllegalStateException("the account history is inconsistent: " + event + " cannot follow " + state);
    }
}
