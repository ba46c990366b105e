package dev.factline.eventsourcing;

import java.util.Objects;

/** What became of one command a process issued ({@link ProcessStep}): what the saga function counts and logs, whichever domain reacted. */
public sealed interface ProcessOutcome {

    ProcessStep step();

    /** The command was committed now, or had been before ({@code result.replayed()}: a re-delivery). */
    record Issued(ProcessStep step, CommandResult result) implements ProcessOutcome {

        public Issued {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(result, "result");
        }
    }

    /** A rule refused the command: an outcome (the order was cancelled meanwhile, say), not a failure. */
    record Refused(ProcessStep step, RuleViolation rule, String message) implements ProcessOutcome {

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
