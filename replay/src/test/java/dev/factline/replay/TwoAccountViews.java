package dev.factline.replay;

import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import java.util.function.Supplier;

/** A deployment that hosts the account view and, beside it, the same fold as version 2: what the replay tool is run with in tests. */
public final class TwoAccountViews implements Supplier<ReadModels> {

    static final StreamView<?, ?> SAME_FOLD =
            StreamView.of("account-view", 2, Accounts.STREAM_TYPE, Accounts.codec(), AccountView.PROJECTION, AccountView.class);

    @Override
    public ReadModels get() {
        return ReadModels.of(AccountView.MODEL, SAME_FOLD);
    }
}
