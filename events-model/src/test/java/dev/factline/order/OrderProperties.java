package dev.factline.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StateCodec;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import dev.factline.order.OrderEvent.OrderCancelled;
import dev.factline.order.OrderEvent.OrderPaid;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderEvent.OrderShipped;
import dev.factline.order.OrderState.Existing;
import dev.factline.order.OrderState.NotPlaced;
import dev.factline.order.OrderState.Paid;
import dev.factline.order.OrderState.Placed;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class OrderProperties {

    private static final StreamId ORDER = Orders.TYPE.streamId("o-1");
    private static final DecisionContext CONTEXT = new DecisionContext(ORDER, Instant.parse("2026-01-02T03:04:05Z"), () -> DeciderScenario.ID);
    private static final OrderDecider DECIDER = new OrderDecider();
    private static final Set<String> LEGAL_TRANSITIONS = Set.of(
            "NOT_PLACED -> PLACED", "PLACED -> PAID", "PLACED -> CANCELLED", "PAID -> SHIPPED", "PAID -> CANCELLED");

    // --- codec -------------------------------------------------------------------------------

    @Property(tries = 300)
    void every_event_survives_the_codec(@ForAll("events") OrderEvent event) {
        SerializedEvent serialized = Orders.EVENTS.encode(event);

        assertThat(serialized.type()).isEqualTo(event.getClass().getSimpleName());
        assertThat(serialized.schemaVersion()).isEqualTo(1);
        assertThat(Orders.EVENTS.decode(recorded(serialized, 1))).isEqualTo(event);
    }

    // --- the state machine -------------------------------------------------------------------

    @Property(tries = 300)
    void the_order_moves_only_along_legal_transitions_and_its_total_is_the_sum_of_its_lines(@ForAll("steps") List<Step> steps) {
        OrderState state = DECIDER.initialState();
        for (Step step : steps) {
            OrderCommand command = step.against(state);
            List<OrderEvent> decided;
            try {
                decided = DECIDER.decide(command, state, CONTEXT);
            } catch (DomainRuleViolationException refused) {
                assertThat(isLegal(command, state)).as("%s refused in %s: %s", command, state, refused.getMessage()).isFalse();
                continue;
            }
            assertThat(isLegal(command, state)).as("%s allowed in %s", command, state).isTrue();
            assertThat(decided).hasSize(1);
            OrderState next = DECIDER.evolveAll(state, decided);

            assertThat(phase(state) + " -> " + phase(next)).isIn(LEGAL_TRANSITIONS);
            Existing order = (Existing) next;
            assertThat(BigInteger.valueOf(order.order().total().minorUnits())).isEqualTo(sumOfLines(order.order().lines()));
            if (decided.getFirst() instanceof OrderCancelled cancelled) {
                Refund expected = state instanceof Paid paid ? new Refund(paid.order().accountId(), paid.order().total()) : null;
                assertThat(cancelled.refund()).isEqualTo(expected);
            }
            state = next;
        }
    }

    @Property(tries = 200)
    void folding_a_stream_twice_gives_the_same_state_as_deciding_it(@ForAll("steps") List<Step> steps) {
        Run run = run(steps);
        List<OrderEvent> stored = new ArrayList<>();
        for (int i = 0; i < run.history().size(); i++) {
            stored.add(Orders.EVENTS.decode(recorded(Orders.EVENTS.encode(run.history().get(i)), i + 1)));
        }

        OrderState once = DECIDER.evolveAll(DECIDER.initialState(), run.history());
        OrderState twice = DECIDER.evolveAll(DECIDER.initialState(), run.history());
        OrderState fromStore = DECIDER.evolveAll(DECIDER.initialState(), stored);

        assertThat(once).isEqualTo(twice).isEqualTo(fromStore).isEqualTo(run.states().getLast());
    }

    @Property(tries = 200)
    void every_reachable_state_survives_a_snapshot(@ForAll("steps") List<Step> steps) {
        StateCodec<OrderState> codec = Orders.TYPE.state();

        for (OrderState state : run(steps).states()) {
            assertThat(codec.decode(codec.encode(state))).isEqualTo(state);
        }
    }

    /** The rules, restated independently of the decider. */
    private static boolean isLegal(OrderCommand command, OrderState state) {
        return switch (command) {
            case PlaceOrder place -> state instanceof NotPlaced
                    && sumOfLines(place.lines()).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) <= 0;
            case MarkOrderPaid pay -> state instanceof Placed placed && pay.amount().equals(placed.order().total());
            case ShipOrder ship -> state instanceof Paid;
            case CancelOrder cancel -> state instanceof Placed || state instanceof Paid;
        };
    }

    private static BigInteger sumOfLines(List<OrderLine> lines) {
        return lines.stream()
                .map(line -> BigInteger.valueOf(line.unitPrice().minorUnits()).multiply(BigInteger.valueOf(line.quantity())))
                .reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static String phase(OrderState state) {
        return state instanceof Existing existing ? existing.status().name() : "NOT_PLACED";
    }

    /** The events a sequence of steps records, refused ones skipped, and every state on the way. */
    private record Run(List<OrderEvent> history, List<OrderState> states) {
    }

    private static Run run(List<Step> steps) {
        List<OrderEvent> history = new ArrayList<>();
        List<OrderState> states = new ArrayList<>(List.of(DECIDER.initialState()));
        for (Step step : steps) {
            OrderState state = states.getLast();
            try {
                List<OrderEvent> decided = DECIDER.decide(step.against(state), state, CONTEXT);
                history.addAll(decided);
                states.add(DECIDER.evolveAll(state, decided));
            } catch (DomainRuleViolationException refused) {
                // a refused command records nothing
            }
        }
        return new Run(history, states);
    }

    private static RecordedEvent recorded(SerializedEvent serialized, long version) {
        return new RecordedEvent(new UUID(0, version), ORDER, version, serialized.type(), serialized.schemaVersion(),
                CONTEXT.now(), serialized.payload(), EventMetadata.forCommand("cmd-" + version));
    }

    // --- generators --------------------------------------------------------------------------

    /** What a client or the saga might send next; payment steps look at the state for the total. */
    sealed interface Step {

        OrderCommand against(OrderState state);
    }

    record Place(PlaceOrder command) implements Step {

        @Override
        public OrderCommand against(OrderState state) {
            return command;
        }
    }

    record PayTheTotal() implements Step {

        @Override
        public OrderCommand against(OrderState state) {
            return new MarkOrderPaid(state instanceof Existing existing ? existing.order().total() : Money.of(1, "EUR"));
        }
    }

    record Pay(Money amount) implements Step {

        @Override
        public OrderCommand against(OrderState state) {
            return new MarkOrderPaid(amount);
        }
    }

    record Ship() implements Step {

        @Override
        public OrderCommand against(OrderState state) {
            return new ShipOrder();
        }
    }

    record Cancel(String reason) implements Step {

        @Override
        public OrderCommand against(OrderState state) {
            return new CancelOrder(reason);
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(3, placeOrders().map(Place::new)),
                Tuple.of(3, Arbitraries.just(new PayTheTotal())),
                Tuple.of(1, currencies().flatMap(OrderProperties::amounts).map(Pay::new)),
                Tuple.of(2, Arbitraries.just(new Ship())),
                Tuple.of(2, reasons().map(Cancel::new)));
        return step.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<OrderEvent> events() {
        Arbitrary<OrderPlaced> placed = currencies().flatMap(currency -> Combinators
                .combine(ids(), ids(), lines(currency), amounts(currency))
                .as(OrderPlaced::new));
        Arbitrary<OrderPaid> paid = currencies().flatMap(OrderProperties::amounts).map(OrderPaid::new);
        Arbitrary<Refund> refunds = Combinators.combine(ids(), currencies().flatMap(OrderProperties::amounts)).as(Refund::new);
        Arbitrary<OrderCancelled> cancelled = Combinators.combine(reasons(), refunds.injectNull(0.5)).as(OrderCancelled::new);
        return Arbitraries.oneOf(List.of(placed, paid, Arbitraries.just(new OrderShipped()), cancelled));
    }

    private static Arbitrary<PlaceOrder> placeOrders() {
        return currencies().flatMap(currency -> Combinators
                .combine(ids(), ids(), lines(currency))
                .as((customerId, accountId, lines) -> new PlaceOrder(customerId, accountId, currency, lines)));
    }

    private static Arbitrary<List<OrderLine>> lines(Currency currency) {
        Arbitrary<String> skus = Arbitraries.strings().alpha().numeric().withChars("._-").ofMinLength(1).ofMaxLength(64);
        Arbitrary<Integer> quantities = Arbitraries.integers().between(1, OrderLine.MAX_QUANTITY);
        return Combinators.combine(skus, quantities, amounts(currency)).as(OrderLine::new).list().ofMinSize(1).ofMaxSize(5);
    }

    /** Mostly everyday amounts; now and then one big enough that a total overflows. */
    private static Arbitrary<Money> amounts(Currency currency) {
        Arbitrary<Long> everyday = Arbitraries.longs().between(1, 1_000_000);
        Arbitrary<Long> huge = Arbitraries.longs().between(Long.MAX_VALUE / 20_000, Long.MAX_VALUE);
        return Arbitraries.frequencyOf(Tuple.of(9, everyday), Tuple.of(1, huge)).map(units -> new Money(units, currency));
    }

    private static Arbitrary<Currency> currencies() {
        return Arbitraries.of("EUR", "USD", "JPY").map(Money::currency);
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(16);
    }

    private static Arbitrary<String> reasons() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("äöüß€\n\t\"\\")
                .ofMinLength(1).ofMaxLength(CancelOrder.MAX_REASON_LENGTH)
                .filter(reason -> !reason.isBlank());
    }
}
