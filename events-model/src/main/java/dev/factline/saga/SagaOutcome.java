package dev.factline.saga;

import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.RuleViolation;
import java.util.Objects;

/** What became of one command the saga issued. */
public sealed interface SagaOutcome {

    SagaStep step();

    /** The command was committed now, or had been before ({@code result.replayed()}: a re-delivery). */
    record Issued(SagaStep step, CommandResult result) implements SagaOutcome {

        public Issued {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(result, "result");
        }
    }

    /** A rule refused the command: an outcome (the order was cancelled meanwhile, say), not a failure. */
    record Refused(SagaStep step, RuleViolation rule, String message) implements SagaOutcome {

        public Refused {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
        }

        /** The rule's stable code, e.g. {@code order-cancelled}. */
        public String code() {
            return rule.code();
        }
    }
}
