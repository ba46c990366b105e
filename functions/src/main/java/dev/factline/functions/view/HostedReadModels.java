package dev.factline.functions.view;

import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderView;
import java.util.function.Supplier;

/**
 * The read models the functions host: registering one is a line here (and a route, to serve it).
 * As a {@code Supplier}, it is what {@code factline-replay --read-models} names by default.
 */
public final class HostedReadModels implements Supplier<ReadModels> {

    public static final ReadModels STANDARD = ReadModels.of(
            AccountView.MODEL,
            AccountStatement.MODEL,
            OrderView.MODEL,
            OrderDashboard.TALLY);

    @Override
    public ReadModels get() {
        return STANDARD;
    }
}
