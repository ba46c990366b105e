package dev.factline.personal;

import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.Decider;
import dev.factline.personal.SubjectCommand.ForgetPersonalData;
import dev.factline.personal.SubjectEvent.PersonalDataForgotten;
import java.util.List;
import java.util.Set;

/**
 * A subject's erasures. Forgetting a key already recorded decides nothing, so a repeated (or
 * retried) erasure is idempotent; a key issued after an erasure is recorded when it is forgotten too.
 */
public final class SubjectDecider implements Decider<SubjectCommand, SubjectEvent, SubjectState> {

    @Override
    public SubjectState initialState() {
        return new SubjectState(Set.of());
    }

    @Override
    public List<SubjectEvent> decide(SubjectCommand command, SubjectState state, DecisionContext context) {
        return switch (command) {
            case ForgetPersonalData forget -> state.forgottenKeys().contains(forget.keyId())
                    ? List.of()
                    : List.of(new PersonalDataForgotten(forget.keyId()));
        };
    }

    @Override
    public SubjectState evolve(SubjectState state, SubjectEvent event) {
        return switch (event) {
            case PersonalDataForgotten forgotten -> state.withForgotten(forgotten.keyId());
        };
    }
}
