package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The smallest aggregate that exercises the kernel: a running total that refuses to exceed a
 * limit. Kernel tests and the store contract suite use it so they depend on no sample domain.
 */
public final class RunningTotal {

    public static final String STREAM_TYPE = "tally";
    public static final long LIMIT = 1_000_000;

    public sealed interface Command permits Add, Clear, Touch {
    }

    /** Adds {@code amount}; refused past {@link #LIMIT}. */
    public record Add(long amount) implements Command {
    }

    /** Sets the total back to zero. */
    public record Clear() implements Command {
    }

    /** Decides nothing: a command whose only effect is its idempotency record. */
    public record Touch() implements Command {
    }

    public sealed interface Event permits Added, Cleared {
    }

    public record Added(long amount) implements Event {
    }

    public record Cleared() implements Event {
    }

    public record State(long total, int additions) {

        static final State EMPTY = new State(0, 0);
    }

    public enum Rule implements RuleViolation {
        OVER_LIMIT("over-limit");

        private final String code;

        Rule(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    public static final Decider<Command, Event, State> DECIDER = new Decider<>() {
        @Override
        public State initialState() {
            return State.EMPTY;
        }

        @Override
        public List<Event> decide(Command command, State state, DecisionContext context) {
            return switch (command) {
                case Add(long amount) -> {
                    if (state.total() + amount > LIMIT) {
                        throw new DomainRuleViolationException(Rule.OVER_LIMIT,
                                "adding " + amount + " to " + state.total() + " would pass the limit of " + LIMIT);
                    }
                    yield List.of(new Added(amount));
                }
                case Clear() -> List.of(new Cleared());
                case Touch() -> List.of();
            };
        }

        @Override
        public State evolve(State state, Event event) {
            return switch (event) {
                case Added(long amount) -> new State(state.total() + amount, state.additions() + 1);
                case Cleared() -> new State(0, state.additions());
            };
        }
    };

    public static final EventCodec<Event> CODEC = EventCodec.builder(Event.class)
            .register("Added", Added.class)
            .register("Cleared", Cleared.class)
            .build();

    public static final AggregateType<Command, Event, State> TYPE =
            new AggregateType<>(STREAM_TYPE, DECIDER, CODEC, new StateCodec<>(State.class, 1));

    /** The total as a read model sees it, at the stream version it reflects. */
    public record Total(long total, long version) {
    }

    public static final Projection<Event, Total> TOTALS = new Projection<>() {
        @Override
        public Total apply(@Nullable Total current, StreamId streamId, long version, Instant occurredAt, Event event) {
            long before = current == null ? 0 : current.total();
            return switch (event) {
                case Added(long amount) -> new Total(before + amount, version);
                case Cleared() -> new Total(0, version);
            };
        }

        @Override
        public long versionOf(Total view) {
            return view.version();
        }
    };

    /** The totals, written by the commits themselves. */
    public static final StreamView<Event, Total> INLINE_TOTALS =
            StreamView.of("running-total", 1, STREAM_TYPE, CODEC, TOTALS, Total.class).writtenInline();

    /** An amount no two streams may add (a stand-in for a SKU): an addition claims its amount, as text. */
    public static final Uniqueness<Event> UNIQUE_ADDITION = new Uniqueness<>("addition",
            event -> event instanceof Added(long amount) ? Optional.of(Long.toString(amount)) : Optional.empty());

    private RunningTotal() {
    }
}
