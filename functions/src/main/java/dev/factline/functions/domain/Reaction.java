package dev.factline.functions.domain;

import dev.factline.eventsourcing.ProcessOutcome;
import dev.factline.eventsourcing.RecordedEvent;
import java.util.List;

/**
 * A process step that answers stored events with commands (a saga's), run by the saga function
 * for every event of every stream. It issues its commands through the handlers it was built with,
 * each under an idempotency key derived from the event, so a re-delivery changes nothing; a rule's
 * refusal is an outcome, anything else is thrown and the event's record is delivered again.
 */
@FunctionalInterface
public interface Reaction {

    List<ProcessOutcome> react(RecordedEvent event);

    /** Builds the reaction once per function, on the command handlers of the registered aggregates. */
    @FunctionalInterface
    interface Factory {

        Reaction build(CommandHandlers handlers);
    }
}
