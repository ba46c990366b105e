package dev.factline.eventsourcing;

import java.util.List;

/**
 * An aggregate as three pure functions.
 *
 * <p>{@link #decide} turns a command and the current state into the events that record what
 * happened, or refuses it with a {@link DomainRuleViolationException}, the only exception the
 * kernel treats as a refusal (any other is a failure); it reads time and ids only from the
 * {@link DecisionContext}. {@link #evolve} applies one event to a state and never refuses:
 * events are facts (it may throw on a history no decision could have produced). Replaying a stream is a left fold of {@code evolve} from
 * {@link #initialState()}.
 *
 * @param <C> the aggregate's command type (a sealed interface of records)
 * @param <E> the aggregate's event type (a sealed interface of records)
 * @param <S> the aggregate's state (immutable)
 */
public interface Decider<C, E, S> {

    S initialState();

    List<E> decide(C command, S state, DecisionContext context);

    S evolve(S state, E event);

    /** Folds {@code events} onto {@code state} in order. */
    default S evolveAll(S state, Iterable<? extends E> events) {
        S result = state;
        for (E event : events) {
            result = evolve(result, event);
        }
        return result;
    }
}
