package dev.factline.saga;

import dev.factline.account.AccountDebited;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountRule;
import dev.factline.account.Accounts;
import dev.factline.account.DebitDeclined;
import dev.factline.account.DebitForOrder;
import dev.factline.account.RefundForOrder;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.RuleViolation;
import dev.factline.eventsourcing.StreamId;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderRule;
import dev.factline.order.Orders;
import dev.factline.order.Refund;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The order payment saga's decisions, pure: given an event, which command on which stream.
 *
 * <pre>
 * OrderPlaced (order o, account a, total t)   -> DebitForOrder(o, t)        on account a
 * AccountDebited (o, t)         on account a  -> MarkOrderPaid(t)            on order o
 * DebitDeclined (o, t, reason)  on account a  -> CancelOrder("payment declined: ...") on order o
 * OrderCancelled with a refund (paid order)   -> RefundForOrder(o, amount)  on the refund's account
 * </pre>
 *
 * Every command's idempotency key is {@code saga-<event id>}: one event, one command, one key,
 * whatever the number of deliveries.
 *
 * <p>Two refusals need an answer too ({@link #afterRefusal}), or money or an order would be left
 * hanging: an order whose account cannot be debited at all ({@code account-not-open}) is cancelled
 * like a declined one; and a debit the order refuses to be paid with (the customer cancelled the
 * placed order while the debit was on its way) is given back with a refund. Their keys are
 * {@code saga-<event id>-compensation}. Every other refusal (a cancellation of an order cancelled
 * meanwhile, say) is an outcome and ends the saga's part; see {@link #REFUSES_THE_PAYMENT} for why
 * {@code order-already-paid} is one of them.
 */
public final class OrderPaymentSaga {

    /** The event types the saga reacts to; every other event is passed over without being decoded. */
    public static final Set<String> TRIGGERS = Set.of("OrderPlaced", "AccountDebited", "DebitDeclined", "OrderCancelled");

    /**
     * Refusals of {@code MarkOrderPaid} that mean the order will never take this debit, so it is
     * given back. Not {@code order-already-paid} or {@code order-shipped}: those are also what a
     * re-delivery of the debit meets once its key has expired (24 hours), when the payment they
     * found is this very debit, and a refund then would pay the money out twice. (The account's
     * ledger refuses a second refund of an order, which keeps the refunds below safe on any
     * re-delivery.)
     */
    static final Set<RuleViolation> REFUSES_THE_PAYMENT =
            Set.of(OrderRule.ORDER_CANCELLED, OrderRule.ORDER_NOT_FOUND, OrderRule.PAYMENT_AMOUNT_MISMATCH);

    static final String KEY_PREFIX = "saga-";
    static final String COMPENSATION_SUFFIX = "-compensation";
    static final String DECLINED = "payment declined: ";

    private OrderPaymentSaga() {
    }

    /** The saga's command for a stored event, if any; decodes only the events in {@link #TRIGGERS}. */
    public static Optional<SagaStep> react(RecordedEvent event) {
        if (!TRIGGERS.contains(event.type())) {
            return Optional.empty();
        }
        StreamId stream = event.streamId();
        return switch (stream.type()) {
            case Accounts.STREAM_TYPE -> react(stream, event.eventId(), Accounts.codec().decode(event));
            case Orders.STREAM_TYPE -> react(stream, event.eventId(), Orders.EVENTS.decode(event));
            default -> Optional.empty();
        };
    }

    /** The saga's command after an account event {@code eventId} of {@code account}. */
    public static Optional<SagaStep> react(StreamId account, UUID eventId, AccountEvent event) {
        return switch (event) {
            case AccountDebited debited -> Optional.of(new SagaStep.ToOrder(
                    Orders.TYPE.streamId(debited.orderId()), new MarkOrderPaid(debited.amount()), keyFor(eventId), eventId, account));
            case DebitDeclined declined -> Optional.of(new SagaStep.ToOrder(
                    Orders.TYPE.streamId(declined.orderId()), new CancelOrder(DECLINED + words(declined.reason().name())),
                    keyFor(eventId), eventId, account));
            default -> Optional.empty();
        };
    }

    /** The saga's command after an order event {@code eventId} of {@code order}. */
    public static Optional<SagaStep> react(StreamId order, UUID eventId, OrderEvent event) {
        return switch (event) {
            case OrderPlaced placed -> Optional.of(new SagaStep.ToAccount(
                    Accounts.TYPE.streamId(placed.accountId()), new DebitForOrder(order.id(), placed.total()), keyFor(eventId), eventId, order));
            case OrderCancelled cancelled -> switch (cancelled.refund()) {
                case Refund refund -> Optional.of(new SagaStep.ToAccount(
                        Accounts.TYPE.streamId(refund.accountId()), new RefundForOrder(order.id(), refund.amount()), keyFor(eventId), eventId, order));
                case null -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }

    /**
     * What follows when a rule refused {@code step}: a cancelled order for a debit that could not
     * even be asked ({@code account-not-open}), a refund for a debit the order would not take;
     * otherwise nothing, the refusal is the outcome.
     */
    public static Optional<SagaStep> afterRefusal(SagaStep step, RuleViolation rule) {
        IdempotencyKey key = new IdempotencyKey(KEY_PREFIX + step.cause() + COMPENSATION_SUFFIX);
        return switch (step) {
            case SagaStep.ToAccount(StreamId account, DebitForOrder debit, IdempotencyKey unused, UUID cause, StreamId order)
                    when rule == AccountRule.ACCOUNT_NOT_OPEN -> Optional.of(new SagaStep.ToOrder(
                            order, new CancelOrder(DECLINED + words(rule.code())), key, cause, order));
            case SagaStep.ToOrder(StreamId order, MarkOrderPaid pay, IdempotencyKey unused, UUID cause, StreamId account)
                    when REFUSES_THE_PAYMENT.contains(rule) -> Optional.of(new SagaStep.ToAccount(
                            account, new RefundForOrder(order.id(), pay.amount()), key, cause, account));
            default -> Optional.empty();
        };
    }

    /** The idempotency key of the saga's command caused by {@code eventId}. */
    public static IdempotencyKey keyFor(UUID eventId) {
        return new IdempotencyKey(KEY_PREFIX + eventId);
    }

    /** {@code INSUFFICIENT_FUNDS} or {@code account-not-open} as "insufficient funds", "account not open". */
    private static String words(String code) {
        return code.replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
    }
}
