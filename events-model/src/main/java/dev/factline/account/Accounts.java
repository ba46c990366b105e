package dev.factline.account;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.StateCodec;

/**
 * The account aggregate as the kernel hosts it: streams {@code account#<id>}, the
 * {@link AccountDecider}, the event codec and the snapshot codec.
 *
 * <p>Type names are stored with every event, so they are spelled out here rather than derived
 * from class names: renaming a record must not orphan its history. The holder's name and email on
 * {@link AccountOpened} are personal data of the owner, sealed on append.
 */
public final class Accounts {

    public static final String STREAM_TYPE = "account";

    /** Bump when {@link AccountState}'s shape or meaning changes; older snapshots are then replayed instead. */
    public static final int STATE_SCHEMA_VERSION = 1;

    /** The schema version {@link AccountOpened} is written at: v2 added the holder's name and email. */
    public static final int ACCOUNT_OPENED_SCHEMA_VERSION = 2;

    /** The schema version {@link MoneyDeposited} is written at. */
    public static final int MONEY_DEPOSITED_SCHEMA_VERSION = 3;

    private static final EventCodec<AccountEvent> CODEC = EventCodec.builder(AccountEvent.class)
            .register("AccountOpened", AccountOpened.class, ACCOUNT_OPENED_SCHEMA_VERSION)
            .upcaster("AccountOpened", 1, AccountUpcasters::accountOpenedV1ToV2)
            .personal("AccountOpened", "ownerId", "holderName", "holderEmail")
            .register("MoneyDeposited", MoneyDeposited.class, MONEY_DEPOSITED_SCHEMA_VERSION)
            .upcaster("MoneyDeposited", 1, AccountUpcasters::moneyDepositedV1ToV2)
            .upcaster("MoneyDeposited", 2, AccountUpcasters::moneyDepositedV2ToV3)
            .register("MoneyWithdrawn", MoneyWithdrawn.class)
            .register("AccountDebited", AccountDebited.class)
            .register("DebitDeclined", DebitDeclined.class)
            .register("AccountRefunded", AccountRefunded.class)
            .register("AccountClosed", AccountClosed.class)
            .build();

    public static final AggregateType<AccountCommand, AccountEvent, AccountState> TYPE = new AggregateType<>(
            STREAM_TYPE, new AccountDecider(), CODEC, new StateCodec<>(AccountState.class, STATE_SCHEMA_VERSION));

    private Accounts() {
    }

    /** The codec of account events (the same as {@code TYPE.events()}). */
    public static EventCodec<AccountEvent> codec() {
        return CODEC;
    }
}
