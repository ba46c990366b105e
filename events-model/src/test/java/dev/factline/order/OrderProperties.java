package dev.factline.order;

import static dev.factline.eventsourcing.Generators.DIGITS;
import static dev.factline.eventsourcing.Generators.LOWER_CASE;
import static dev.factline.eventsourcing.Generators.UPPER_CASE;
import static dev.factline.eventsourcing.Generators.characters;
import static dev.factline.eventsourcing.Generators.charactersOf;
import static dev.factline.eventsourcing.Generators.integers;
import static dev.factline.eventsourcing.Generators.lists;
import static dev.factline.eventsourcing.Generators.longs;
import static dev.factline.eventsourcing.Generators.oneOf;
import static dev.factline.eventsourcing.Generators.orNull;
import static dev.factline.eventsourcing.Generators.strings;
import static dev.factline.eventsourcing.Generators.weight;
import static dev.factline.eventsourcing.Generators.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Generators;
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
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderProperties {

    private static final StreamId ORDER = Orders.TYPE.streamId("o-1");
    private static final DecisionContext CONTEXT = new DecisionContext(ORDER, Instant.parse("2026-01-02T03:04:05Z"), () -> DeciderScenario.ID);
    private static final OrderDecider DECIDER = new OrderDecider();
    private static final Set<String> LEGAL_TRANSITIONS = Set.of(
            "NOT_PLACED -> PLACED", "PLACED -> PAID", "PLACED -> CANCELLED", "PAID -> SHIPPED", "PAID -> CANCELLED");

    // --- codec -------------------------------------------------------------------------------

    @Test
    void every_event_survives_the_codec() {
        qt().withExamples(300).forAll(events()).checkAssert(event -> {
            SerializedEvent serialized = Orders.EVENTS.encode(event);

            assertThat(serialized.type()).isEqualTo(event.getClass().getSimpleName());
            assertThat(serialized.schemaVersion()).isEqualTo(Orders.EVENTS.currentSchemaVersion(serialized.type()));
            assertThat(Orders.EVENTS.decode(recorded(serialized, 1))).isEqualTo(event);
        });
    }

    // --- the state machine -------------------------------------------------------------------

    @Test
    void the_order_moves_only_along_legal_transitions_and_its_total_is_the_sum_of_its_lines() {
        qt().withExamples(300).forAll(steps()).checkAssert(steps -> {
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
        });
    }

    @Test
    void folding_a_stream_twice_gives_the_same_state_as_deciding_it() {
        qt().withExamples(200).forAll(steps()).checkAssert(steps -> {
            Run run = run(steps);
            List<OrderEvent> stored = new ArrayList<>();
            for (int i = 0; i < run.history().size(); i++) {
                stored.add(Orders.EVENTS.decode(recorded(Orders.EVENTS.encode(run.history().get(i)), i + 1)));
            }

            OrderState once = DECIDER.evolveAll(DECIDER.initialState(), run.history());
            OrderState twice = DECIDER.evolveAll(DECIDER.initialState(), run.history());
            OrderState fromStore = DECIDER.evolveAll(DECIDER.initialState(), stored);

            assertThat(once).isEqualTo(twice).isEqualTo(fromStore).isEqualTo(run.states().getLast());
        });
    }

    @Test
    void every_reachable_state_survives_a_snapshot() {
        qt().withExamples(200).forAll(steps()).checkAssert(steps -> {
            StateCodec<OrderState> codec = Orders.TYPE.state();

            for (OrderState state : run(steps).states()) {
                assertThat(codec.decode(codec.encode(state))).isEqualTo(state);
            }
        });
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

    private static Gen<List<Step>> steps() {
        Gen<Step> step = weighted(
                weight(3, placeOrders().map(Place::new)),
                weight(3, Generate.constant(new PayTheTotal())),
                weight(1, currencies().flatMap(OrderProperties::amounts).map(Pay::new)),
                weight(2, Generate.constant(new Ship())),
                weight(2, reasons().map(Cancel::new)));
        return lists(step, 0, 8);
    }

    private static Gen<OrderEvent> events() {
        Gen<OrderPlaced> placed = currencies().flatMap(currency -> ids().zip(ids(), lines(currency), amounts(currency), OrderPlaced::new));
        Gen<OrderPaid> paid = currencies().flatMap(OrderProperties::amounts).map(OrderPaid::new);
        Gen<Refund> refunds = ids().zip(currencies().flatMap(OrderProperties::amounts), Refund::new);
        Gen<OrderCancelled> cancelled = reasons().zip(orNull(refunds, 50), OrderCancelled::new);
        return oneOf(placed, paid, Generate.constant(new OrderShipped()), cancelled);
    }

    private static Gen<PlaceOrder> placeOrders() {
        return currencies().flatMap(currency -> ids().zip(ids(), lines(currency),
                (customerId, accountId, lines) -> new PlaceOrder(customerId, accountId, currency, lines)));
    }

    private static Gen<List<OrderLine>> lines(Currency currency) {
        Gen<String> skus = strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS, charactersOf("._-")), 1, 64);
        Gen<Integer> quantities = integers(1, OrderLine.MAX_QUANTITY);
        return lists(skus.zip(quantities, amounts(currency), OrderLine::new), 1, 5);
    }

    /** Mostly everyday amounts; now and then one big enough that a total overflows. */
    private static Gen<Money> amounts(Currency currency) {
        Gen<Long> everyday = longs(1, 1_000_000);
        Gen<Long> huge = longs(Long.MAX_VALUE / 20_000, Long.MAX_VALUE);
        return Generators.<Long>weighted(weight(9, everyday), weight(1, huge)).map(units -> new Money(units, currency));
    }

    private static Gen<Currency> currencies() {
        return Generate.pick(List.of("EUR", "USD", "JPY")).map(Money::currency);
    }

    private static Gen<String> ids() {
        return strings(oneOf(UPPER_CASE, LOWER_CASE, DIGITS), 1, 16);
    }

    private static Gen<String> reasons() {
        return strings(oneOf(characters(' ', '~'), charactersOf("äöüß€\n\t\"\\")), 1, CancelOrder.MAX_REASON_LENGTH)
                .assuming(reason -> !reason.isBlank());
    }
}
