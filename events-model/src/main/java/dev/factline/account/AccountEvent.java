package dev.factline.account;

/**
 * What happened to an account. Events are facts: their constructors check only that they are
 * complete (no missing field), never business rules, so tightening a rule later cannot make a
 * stored event unreadable.
 *
 * <p>Stored under the record's simple name (see {@link Accounts}); {@link MoneyDeposited} is at
 * schema v3, the others at v1.
 */
public sealed interface AccountEvent
        permits AccountOpened, MoneyDeposited, MoneyWithdrawn, AccountDebited, DebitDeclined, AccountRefunded, AccountClosed {
}
