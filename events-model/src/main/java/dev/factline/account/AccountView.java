package dev.factline.account;

import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.money.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An account as its owner reads it: the holder's name and email, the balance, the currency,
 * whether it is open, and the version of the account's stream the view reflects. The name and
 * email are kept as the events hold them, sealed; readers reveal them on the way out.
 */
public record AccountView(
        String accountId,
        String ownerId,
        @Nullable String holderName,
        @Nullable String holderEmail,
        Currency currency,
        Money balance,
        Status status,
        long version,
        Instant openedAt,
        Instant updatedAt) {

    public enum Status { OPEN, CLOSED }

    public AccountView {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The account view's fold; every event moves the version, declined debits included. */
    public static final Projection<AccountEvent, AccountView> PROJECTION = new Projection<>() {
        @Override
        public AccountView apply(@Nullable AccountView current, StreamId streamId, long version, Instant occurredAt, AccountEvent event) {
            if (current == null) {
                if (event instanceof AccountOpened opened) {
                    return new AccountView(streamId.id(), opened.ownerId(), opened.holderName(), opened.holderEmail(), opened.currency(),
                            Money.zero(opened.currency()),
                            Status.OPEN, version, occurredAt, occurredAt);
                }
                throw new IllegalStateException(streamId + " begins with " + event.getClass().getSimpleName() + " at version "
                        + version + ", not with AccountOpened");
            }
            Money balance = switch (event) {
                case AccountOpened opened -> throw new IllegalStateException(streamId + " is opened again at version " + version);
                case MoneyDeposited deposited -> current.balance.plus(deposited.amount());
                case MoneyWithdrawn withdrawn -> current.balance.minus(withdrawn.amount());
                case AccountDebited debited -> current.balance.minus(debited.amount());
                case AccountRefunded refunded -> current.balance.plus(refunded.amount());
                case DebitDeclined declined -> current.balance;
                case AccountClosed closed -> current.balance;
            };
            Status status = event instanceof AccountClosed ? Status.CLOSED : current.status;
            return new AccountView(current.accountId, current.ownerId, current.holderName, current.holderEmail, current.currency, balance,
                    status, version, current.openedAt, occurredAt);
        }

        @Override
        public long versionOf(AccountView view) {
            return view.version();
        }
    };

    /** Accounts as their owners read them, cached in Redis. */
    public static final StreamView<AccountEvent, AccountView> MODEL =
            StreamView.of("account-view", 1, Accounts.STREAM_TYPE, Accounts.codec(), PROJECTION, AccountView.class).cachedInRedis();
}
