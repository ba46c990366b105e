package dev.factline.order;

import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.Decider;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPaid;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderEvent.OrderShipped;
import dev.factline.order.OrderState.Cancelled;
import dev.factline.order.OrderState.Existing;
import dev.factline.order.OrderState.NotPlaced;
import dev.factline.order.OrderState.Paid;
import dev.factline.order.OrderState.Placed;
import dev.factline.order.OrderState.Shipped;
import java.util.List;

/**
 * The order's state machine: placed once, paid exactly its total, shipped once paid, cancelled
 * while placed or paid (a paid one with a {@link Refund} to its account). Shipped and cancelled
 * are final. Every other move is refused with its {@link OrderRule}.
 *
 * <p>{@link #evolve} applies only the moves {@link #decide} can make; any other event sequence is
 * a corrupt stream and fails loudly with an {@link IllegalStateException} rather than being folded
 * into a state no rule allows.
 */
public final class OrderDecider implements Decider<OrderCommand, OrderEvent, OrderState> {

    @Override
    public OrderState initialState() {
        return new NotPlaced();
    }

    @Override
    public List<OrderEvent> decide(OrderCommand command, OrderState state, DecisionContext context) {
        String orderId = context.streamId().id();
        OrderEvent decided = switch (command) {
            case PlaceOrder place -> place(place, state, orderId);
            case MarkOrderPaid pay -> pay(pay, state, orderId);
            case ShipOrder() -> ship(state, orderId);
            case CancelOrder cancel -> cancel(cancel, state, orderId);
        };
        return List.of(decided);
    }

    private static OrderEvent place(PlaceOrder command, OrderState state, String orderId) {
        return switch (state) {
            case NotPlaced() -> new OrderPlaced(command.customerId(), command.accountId(), command.lines(), total(command, orderId),
                    command.deliveryAddress());
            case Existing existing -> throw new DomainRuleViolationException(OrderRule.ORDER_ALREADY_PLACED,
                    "order " + orderId + " was already placed by customer " + existing.order().customerId() + " and is " + existing.status());
        };
    }

    private static Money total(PlaceOrder command, String orderId) {
        Money total = Money.zero(command.currency());
        try {
            for (OrderLine line : command.lines()) {
                total = total.plus(line.lineTotal());
            }
        } catch (ArithmeticException overflow) {
            throw new DomainRuleViolationException(OrderRule.ORDER_TOTAL_OVERFLOW, "order " + orderId + " cannot be placed: the total of its "
                    + command.lines().size() + " line(s) exceeds " + Long.MAX_VALUE + " minor units of " + command.currency());
        }
        return total;
    }

    private static OrderEvent pay(MarkOrderPaid command, OrderState state, String orderId) {
        return switch (state) {
            case NotPlaced() -> throw notFound(orderId, "paid");
            case Placed placed -> {
                Money total = placed.order().total();
                if (!command.amount().equals(total)) {
                    throw new DomainRuleViolationException(OrderRule.PAYMENT_AMOUNT_MISMATCH,
                            "order " + orderId + " totals " + total + ", but the payment is " + command.amount());
                }
                yield new OrderPaid(command.amount());
            }
            case Paid paid -> throw new DomainRuleViolationException(OrderRule.ORDER_ALREADY_PAID,
                    "order " + orderId + " is already paid: " + paid.amountPaid() + " from account " + paid.order().accountId());
            case Shipped shipped -> throw alreadyShipped(orderId, "paid");
            case Cancelled cancelled -> throw alreadyCancelled(orderId, cancelled, "paid");
        };
    }

    private static OrderEvent ship(OrderState state, String orderId) {
        return switch (state) {
            case NotPlaced() -> throw notFound(orderId, "shipped");
            case Placed placed -> throw new DomainRuleViolationException(OrderRule.ORDER_NOT_PAID, "order " + orderId
                    + " cannot be shipped before it is paid: it is PLACED, awaiting " + placed.order().total()
                    + " from account " + placed.order().accountId());
            case Paid paid -> new OrderShipped();
            case Shipped shipped -> throw alreadyShipped(orderId, "shipped again");
            case Cancelled cancelled -> throw alreadyCancelled(orderId, cancelled, "shipped");
        };
    }

    private static OrderEvent cancel(CancelOrder command, OrderState state, String orderId) {
        return switch (state) {
            case NotPlaced() -> throw notFound(orderId, "cancelled");
            case Placed placed -> new OrderCancelled(command.reason(), null);
            case Paid paid -> new OrderCancelled(command.reason(), new Refund(paid.order().accountId(), paid.amountPaid()));
            case Shipped shipped -> throw alreadyShipped(orderId, "cancelled");
            case Cancelled cancelled -> throw alreadyCancelled(orderId, cancelled, "cancelled again");
        };
    }

    private static DomainRuleViolationException notFound(String orderId, String refusedMove) {
        return new DomainRuleViolationException(OrderRule.ORDER_NOT_FOUND,
                "order " + orderId + " has not been placed, so it cannot be " + refusedMove);
    }

    private static DomainRuleViolationException alreadyShipped(String orderId, String refusedMove) {
        return new DomainRuleViolationException(OrderRule.ORDER_SHIPPED,
                "order " + orderId + " is SHIPPED, so it cannot be " + refusedMove);
    }

    private static DomainRuleViolationException alreadyCancelled(String orderId, Cancelled cancelled, String refusedMove) {
        return new DomainRuleViolationException(OrderRule.ORDER_CANCELLED,
                "order " + orderId + " is CANCELLED (" + cancelled.reason() + "), so it cannot be " + refusedMove);
    }

    @Override
    public OrderState evolve(OrderState state, OrderEvent event) {
        return switch (event) {
            case OrderPlaced placed -> {
                if (state instanceof NotPlaced) {
                    yield new Placed(new OrderDetails(placed.customerId(), placed.accountId(), placed.lines(), placed.total()));
                }
                throw corrupt(state, event);
            }
            case OrderPaid paid -> {
                if (state instanceof Placed placed) {
                    yield new Paid(placed.order(), paid.amount());
                }
                throw corrupt(state, event);
            }
            case OrderShipped shipped -> {
                if (state instanceof Paid paid) {
                    yield new Shipped(paid.order());
                }
                throw corrupt(state, event);
            }
            case OrderCancelled cancelled -> {
                if (state instanceof Placed placed) {
                    yield new Cancelled(placed.order(), cancelled.reason(), cancelled.refund());
                }
                if (state instanceof Paid paid) {
                    yield new Cancelled(paid.order(), cancelled.reason(), cancelled.refund());
                }
                throw corrupt(state, event);
            }
        };
    }

    private static IllegalStateException corrupt(OrderState state, OrderEvent event) {
        String stateName = state instanceof Existing existing ? existing.status().name() : "not placed";
        return new IllegalStateException("corrupt order stream: " + event.getClass().getSimpleName()
                + " cannot follow an order that is " + stateName);
    }
}
