package dev.factline.saga;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.ProcessOutcome;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues the saga's commands for stored events through the same {@link CommandHandler}s as the
 * HTTP commands, each with its derived idempotency key, so a re-delivered event is answered with
 * the original commit and moves no money twice.
 *
 * <p>A rule's refusal is an outcome ({@link ProcessOutcome.Refused}), followed by the compensation
 * {@link OrderPaymentSaga#afterRefusal} decides, if any. Anything else (the store unavailable,
 * writers racing past every attempt, an event that does not decode) is thrown: the caller reports
 * the event's record for another delivery, which repeats what was done under the same keys.
 */
public final class OrderPaymentSagaRunner {

    private final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts;
    private final CommandHandler<OrderCommand, OrderEvent, OrderState> orders;

    public OrderPaymentSagaRunner(
            CommandHandler<AccountCommand, AccountEvent, AccountState> accounts, CommandHandler<OrderCommand, OrderEvent, OrderState> orders) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.orders = Objects.requireNonNull(orders, "orders");
    }

    /** Reacts to one stored event: no command, one, or one and its compensation. */
    public List<ProcessOutcome> handle(RecordedEvent event) {
        Optional<SagaStep> first = OrderPaymentSaga.react(event);
        if (first.isEmpty()) {
            return List.of();
        }
        List<ProcessOutcome> outcomes = new ArrayList<>(2);
        ProcessOutcome outcome = issue(first.get(), event);
        outcomes.add(outcome);
        if (outcome instanceof ProcessOutcome.Refused refused) {
            Optional<SagaStep> compensation = OrderPaymentSaga.afterRefusal(first.get(), refused.rule());
            compensation.ifPresent(step -> outcomes.add(issue(step, event)));
        }
        return List.copyOf(outcomes);
    }

    private ProcessOutcome issue(SagaStep step, RecordedEvent cause) {
        EventMetadata metadata = new EventMetadata(step.key().value(), cause.metadata().correlationId(), cause.eventId().toString());
        Idempotency idempotency = new Idempotency(step.key(), step.fingerprint());
        try {
            CommandResult result = switch (step) {
                case SagaStep.ToAccount toAccount ->
                        accounts.handle(CommandRequest.of(toAccount.target(), toAccount.command(), metadata).withIdempotency(idempotency));
                case SagaStep.ToOrder toOrder ->
                        orders.handle(CommandRequest.of(toOrder.target(), toOrder.command(), metadata).withIdempotency(idempotency));
            };
            return new ProcessOutcome.Issued(step, result);
        } catch (DomainRuleViolationException refused) {
            return new ProcessOutcome.Refused(step, refused.violation(), String.valueOf(refused.getMessage()));
        }
    }
}
