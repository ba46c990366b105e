package dev.factline.saga;

import dev.factline.account.AccountCommand;
import dev.factline.account.CloseAccount;
import dev.factline.account.DebitForOrder;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.account.RefundForOrder;
import dev.factline.account.WithdrawMoney;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.ProcessStep;
import dev.factline.eventsourcing.StreamId;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import dev.factline.order.OrderCommand;
import java.util.Objects;
import java.util.UUID;

/** One command the order payment saga issues: to an account or to an order. */
public sealed interface SagaStep extends ProcessStep {

    /** A command to an account. */
    record ToAccount(StreamId target, AccountCommand command, IdempotencyKey key, UUID cause, StreamId causeStream) implements SagaStep {

        public ToAccount {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(causeStream, "causeStream");
        }

        @Override
        public String fingerprint() {
            return "saga|" + target + "|" + switch (command) {
                case DebitForOrder debit -> "DebitForOrder|" + debit.orderId() + "|" + debit.amount().minorUnits() + "|" + debit.amount().currency();
                case RefundForOrder refund -> "RefundForOrder|" + refund.orderId() + "|" + refund.amount().minorUnits() + "|" + refund.amount().currency();
                case OpenAccount open -> throw neverSent(command);
                case DepositMoney deposit -> throw neverSent(command);
                case WithdrawMoney withdrawal -> throw neverSent(command);
                case CloseAccount close -> throw neverSent(command);
            };
        }
    }

    private static IllegalStateException neverSent(Object command) {
        return new IllegalStateException("the saga never sends " + command.getClass().getSimpleName());
    }

    /** A command to an order. */
    record ToOrder(StreamId target, OrderCommand command, IdempotencyKey key, UUID cause, StreamId causeStream) implements SagaStep {

        public ToOrder {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(causeStream, "causeStream");
        }

        @Override
        public String fingerprint() {
            return "saga|" + target + "|" + switch (command) {
                case MarkOrderPaid pay -> "MarkOrderPaid|" + pay.amount().minorUnits() + "|" + pay.amount().currency();
                case CancelOrder cancel -> "CancelOrder|" + cancel.reason();
                case PlaceOrder place -> throw neverSent(command);
                case ShipOrder ship -> throw neverSent(command);
            };
        }
    }
}
