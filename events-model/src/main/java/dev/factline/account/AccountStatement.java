package dev.factline.account;

import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import java.math.BigInteger;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An account's monthly statement: per calendar month (UTC) in which money moved, the balance it
 * opened and closed with and what was deposited, withdrawn, paid for orders and refunded, in
 * minor units of the account's currency. A read model that needs the whole history, added after
 * the accounts existed and filled by a rebuild.
 *
 * <p>An event belongs to the month it occurred in, or to the statement's last month when its
 * clock was behind an earlier event's (two writers' clocks differ): months never reopen, so a
 * month's closing balance is the next one's opening. Flows are sums without a bound (a month of
 * deposits and withdrawals of large amounts can pass a long); balances are the account's, which
 * never pass one.
 */
public record AccountStatement(String accountId, Currency currency, List<Month> months, long version, Instant updatedAt) {

    public AccountStatement {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
        months = List.copyOf(months);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** One month's figures, in minor units. */
    public record Month(YearMonth month, long opening, BigInteger deposits, BigInteger withdrawals, BigInteger payments,
            BigInteger refunds, long closing) {

        public Month {
            Objects.requireNonNull(month, "month");
            Objects.requireNonNull(deposits, "deposits");
            Objects.requireNonNull(withdrawals, "withdrawals");
            Objects.requireNonNull(payments, "payments");
            Objects.requireNonNull(refunds, "refunds");
        }

        static Month opening(YearMonth month, long balance) {
            return new Month(month, balance, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, balance);
        }

        Month deposited(long amount) {
            return new Month(month, opening, deposits.add(BigInteger.valueOf(amount)), withdrawals, payments, refunds, closing + amount);
        }

        Month withdrawn(long amount) {
            return new Month(month, opening, deposits, withdrawals.add(BigInteger.valueOf(amount)), payments, refunds, closing - amount);
        }

        Month paid(long amount) {
            return new Month(month, opening, deposits, withdrawals, payments.add(BigInteger.valueOf(amount)), refunds, closing - amount);
        }

        Month refunded(long amount) {
            return new Month(month, opening, deposits, withdrawals, payments, refunds.add(BigInteger.valueOf(amount)), closing + amount);
        }
    }

    /** The statement's fold: money moves land in their month; other events only move the version. */
    public static final Projection<AccountEvent, AccountStatement> PROJECTION = new Projection<>() {
        @Override
        public AccountStatement apply(@Nullable AccountStatement current, StreamId streamId, long version, Instant occurredAt, AccountEvent event) {
            if (current == null) {
                if (event instanceof AccountOpened opened) {
                    return new AccountStatement(streamId.id(), opened.currency(), List.of(Month.opening(monthOf(occurredAt), 0)), version, occurredAt);
                }
                throw new IllegalStateException(streamId + " begins with " + event.getClass().getSimpleName() + " at version "
                        + version + ", not with AccountOpened");
            }
            return switch (event) {
                case AccountOpened opened -> throw new IllegalStateException(streamId + " is opened again at version " + version);
                case MoneyDeposited deposited -> current.moved(occurredAt, version, month -> month.deposited(deposited.amount().minorUnits()));
                case MoneyWithdrawn withdrawn -> current.moved(occurredAt, version, month -> month.withdrawn(withdrawn.amount().minorUnits()));
                case AccountDebited debited -> current.moved(occurredAt, version, month -> month.paid(debited.amount().minorUnits()));
                case AccountRefunded refunded -> current.moved(occurredAt, version, month -> month.refunded(refunded.amount().minorUnits()));
                case DebitDeclined declined -> current.at(version, occurredAt);
                case AccountClosed closed -> current.at(version, occurredAt);
            };
        }

        @Override
        public long versionOf(AccountStatement statement) {
            return statement.version();
        }
    };

    /** The statements of accounts, cached in no Redis: read rarely, one GetItem each. */
    public static final StreamView<AccountEvent, AccountStatement> MODEL =
            StreamView.of("account-statement", 1, Accounts.STREAM_TYPE, Accounts.codec(), PROJECTION, AccountStatement.class);

    private AccountStatement moved(Instant occurredAt, long newVersion, UnaryOperator<Month> move) {
        List<Month> moved = new ArrayList<>(months);
        Month last = moved.get(moved.size() - 1);
        YearMonth month = monthOf(occurredAt);
        if (month.isAfter(last.month())) {
            last = Month.opening(month, last.closing());
        } else {
            moved.remove(moved.size() - 1);
        }
        moved.add(move.apply(last));
        return new AccountStatement(accountId, currency, moved, newVersion, occurredAt);
    }

    private AccountStatement at(long newVersion, Instant occurredAt) {
        return new AccountStatement(accountId, currency, months, newVersion, occurredAt);
    }

    private static YearMonth monthOf(Instant instant) {
        return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
    }
}
