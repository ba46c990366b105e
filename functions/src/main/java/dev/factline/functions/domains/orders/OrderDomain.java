package dev.factline.functions.domains.orders;

import dev.factline.functions.http.JsonObjectReader;
import dev.factline.account.Accounts;
import dev.factline.functions.command.BoundCommand;
import dev.factline.functions.command.CommandInput;
import dev.factline.functions.command.CommandRoute;
import dev.factline.functions.command.Fields;
import dev.factline.functions.command.StreamResources;
import dev.factline.functions.domain.Declarations;
import dev.factline.functions.domain.Domain;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import dev.factline.order.OrderDashboard;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderView;
import dev.factline.order.Orders;
import dev.factline.saga.OrderPaymentSagaRunner;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Orders, and the saga that pays them from accounts, as the functions host them:
 *
 * <pre>
 * POST /orders                       {"orderId"?, "customerId", "accountId", "currency",
 *                                     "lines": [{"sku", "quantity", "unitPrice": {"minorUnits", "currency"}}], "deliveryAddress"?}  PlaceOrder
 * POST /orders/{id}/payment          {"amount": {"minorUnits", "currency"}}   MarkOrderPaid (by hand; the saga's job later)
 * POST /orders/{id}/shipment         no body, or {}                            ShipOrder
 * POST /orders/{id}/cancellation     {"reason"}                                CancelOrder
 * GET  /orders/{id}                  the order's view
 * GET  /customers/{id}/orders        a customer's orders, newest first
 * GET  /dashboard                    counts and totals per order status
 * GET  /orders/{id}/events           its history
 * </pre>
 *
 * It needs the account domain registered too: the saga debits and refunds accounts.
 */
public final class OrderDomain implements Domain {

    @Override
    public void declare(Declarations declare) {
        StreamResources<OrderCommand> orders = declare.aggregate("/orders", Orders.TYPE);
        declare.command("/orders", CommandRoute.withBody(input -> place(input, orders)))
                .command("/orders/{id}/payment", CommandRoute.withBody(input -> pay(input, orders)))
                .command("/orders/{id}/shipment", CommandRoute.bodyOptional(input -> ship(input, orders)))
                .command("/orders/{id}/cancellation", CommandRoute.withBody(input -> cancel(input, orders)))
                .view("/orders/{id}", OrderView.MODEL)
                .listing("/customers/{id}/orders", OrderView.MODEL, "customerId", "orders")
                .tally("/dashboard", OrderDashboard.TALLY)
                .reaction(handlers -> new OrderPaymentSagaRunner(handlers.of(Accounts.TYPE), handlers.of(Orders.TYPE))::handle);
    }

    private static BoundCommand<OrderCommand> place(CommandInput input, StreamResources<OrderCommand> orders) {
        JsonObjectReader body = input.body().allowOnly("orderId", "customerId", "accountId", "currency", "lines", "deliveryAddress");
        String orderId = Fields.optionalId(body, "orderId");
        String customerId = Fields.requiredId(body, "customerId");
        String accountId = Fields.requiredId(body, "accountId");
        Currency currency = Fields.currency(body, "currency");
        List<OrderLine> lines = new ArrayList<>();
        for (JsonObjectReader line : body.requiredObjects("lines", 1, PlaceOrder.MAX_LINES)) {
            lines.add(line(line, currency));
        }
        String deliveryAddress = body.optionalString("deliveryAddress");
        PlaceOrder command = body.check(() -> new PlaceOrder(customerId, accountId, currency, lines, deliveryAddress));
        return orders.bind(orderId != null ? orderId : input.newId(), command);
    }

    private static OrderLine line(JsonObjectReader line, Currency orderCurrency) {
        line.allowOnly("sku", "quantity", "unitPrice");
        String sku = line.requiredString("sku");
        int quantity = line.requiredInt("quantity", 1, OrderLine.MAX_QUANTITY);
        Money unitPrice = Fields.positiveMoney(line, "unitPrice");
        if (!unitPrice.hasCurrency(orderCurrency)) {
            throw line.refuse("unitPrice", "is in " + unitPrice.currency() + ", but the order is in " + orderCurrency);
        }
        return line.check(() -> new OrderLine(sku, quantity, unitPrice));
    }

    private static BoundCommand<OrderCommand> pay(CommandInput input, StreamResources<OrderCommand> orders) {
        String orderId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("amount");
        Money amount = Fields.positiveMoney(body, "amount");
        return orders.bind(orderId, body.check(() -> new MarkOrderPaid(amount)));
    }

    private static BoundCommand<OrderCommand> ship(CommandInput input, StreamResources<OrderCommand> orders) {
        String orderId = input.pathId();
        input.body().allowOnly();
        return orders.bind(orderId, new ShipOrder());
    }

    private static BoundCommand<OrderCommand> cancel(CommandInput input, StreamResources<OrderCommand> orders) {
        String orderId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("reason");
        String reason = body.requiredString("reason");
        return orders.bind(orderId, body.check("reason", () -> new CancelOrder(reason)));
    }
}
