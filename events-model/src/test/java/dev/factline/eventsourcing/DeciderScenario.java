package dev.factline.eventsourcing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Given-when-then for deciders: the history as events, one command, and what must follow.
 *
 * <pre>{@code
 * DeciderScenario.of(new AccountDecider(), streamId)
 *     .given(new AccountOpened("c-1", EUR))
 *     .when(new WithdrawMoney(Money.of(100, "EUR")))
 *     .thenRefused(AccountRule.INSUFFICIENT_FUNDS);
 * }</pre>
 */
public final class DeciderScenario<C, E, S> {

    /** The instant every scenario decides at, so expectations may mention it. */
    public static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    /** The one id every scenario's decisions draw, so expectations may mention it. */
    public static final UUID ID = new UUID(0, 1);

    private static final IdGenerator IDS = () -> ID;

    private final Decider<C, E, S> decider;
    private final StreamId streamId;
    private final List<E> history = new ArrayList<>();

    private DeciderScenario(Decider<C, E, S> decider, StreamId streamId) {
        this.decider = decider;
        this.streamId = streamId;
    }

    public static <C, E, S> DeciderScenario<C, E, S> of(Decider<C, E, S> decider, StreamId streamId) {
        return new DeciderScenario<>(decider, streamId);
    }

    @SafeVarargs
    public final DeciderScenario<C, E, S> given(E... events) {
        for (E event : events) {
            history.add(event);
        }
        return this;
    }

    public Outcome when(C command) {
        S state = decider.evolveAll(decider.initialState(), history);
        return new Outcome(state, command);
    }

    /** What one command against the given history produced. */
    public final class Outcome {

        private final S state;
        private final C command;

        private Outcome(S state, C command) {
            this.state = state;
            this.command = command;
        }

        /** Asserts the exact events decided, and returns the state after them. */
        @SafeVarargs
        public final S then(E... expected) {
            List<E> decided = decider.decide(command, state, new DecisionContext(streamId, NOW, IDS));
            List<E> wanted = new ArrayList<>(expected.length);
            for (E event : expected) {
                wanted.add(event);
            }
            assertThat(decided).containsExactlyElementsOf(wanted);
            return decider.evolveAll(state, decided);
        }

        /** Asserts that the command decides nothing and changes nothing. */
        public void thenNothing() {
            assertThat(decider.decide(command, state, new DecisionContext(streamId, NOW, IDS))).isEmpty();
        }

        /** Asserts the refusal's rule; returns the exception for further checks of its message. */
        public DomainRuleViolationException thenRefused(RuleViolation rule) {
            DomainRuleViolationException refusal = catchThrowableOfType(DomainRuleViolationException.class,
                    () -> decider.decide(command, state, new DecisionContext(streamId, NOW, IDS)));
            assertThat(refusal).as("a refusal for breaking %s", rule.code()).isNotNull();
            assertThat(refusal.violation()).isEqualTo(rule);
            return refusal;
        }
    }
}
