package dev.factline.functions.view;

import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderView;

/** The read models the functions host: registering one is a line here (and a route, to serve it). */
public final class HostedReadModels {

    public static final ReadModels STANDARD = ReadModels.of(
            AccountView.MODEL,
            AccountStatement.MODEL,
            OrderView.MODEL,
            OrderDashboard.TALLY);

    private HostedReadModels() {
    }
}
