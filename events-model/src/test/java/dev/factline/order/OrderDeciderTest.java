package dev.factline.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.DomainRuleViolationException;
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
import dev.factline.order.OrderState.Cancelled;
import dev.factline.order.OrderState.NotPlaced;
import dev.factline.order.OrderState.Paid;
import dev.factline.order.OrderState.Placed;
import dev.factline.order.OrderState.Shipped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderDeciderTest {

    static final StreamId ORDER = Orders.TYPE.streamId("o-1");
    static final Currency EUR = Money.currency("EUR");

    static final OrderLine BOOKS = new OrderLine("book-1", 2, Money.of(1_250, "EUR"));
    static final OrderLine PENS = new OrderLine("pen.blue_2", 3, Money.of(199, "EUR"));
    static final Money TOTAL = Money.of(3_097, "EUR");
    static final OrderDetails DETAILS = new OrderDetails("c-1", "a-1", List.of(BOOKS, PENS), TOTAL);

    static final PlaceOrder PLACE = new PlaceOrder("c-1", "a-1", EUR, List.of(BOOKS, PENS));
    static final MarkOrderPaid PAY = new MarkOrderPaid(TOTAL);
    static final ShipOrder SHIP = new ShipOrder();
    static final CancelOrder CANCEL = new CancelOrder("customer changed their mind");

    static final OrderPlaced PLACED = new OrderPlaced("c-1", "a-1", List.of(BOOKS, PENS), TOTAL);
    static final OrderPaid PAID = new OrderPaid(TOTAL);
    static final OrderShipped SHIPPED = new OrderShipped();
    static final OrderCancelled CANCELLED = new OrderCancelled("customer changed their mind", null);
    static final OrderCancelled CANCELLED_AND_REFUNDED = new OrderCancelled("customer changed their mind", new Refund("a-1", TOTAL));

    /** Every state an order can be in, as the history that leads there. */
    static final Map<String, List<OrderEvent>> HISTORIES = histories();

    static final List<OrderCommand> COMMANDS = List.of(PLACE, PAY, SHIP, CANCEL);

    private static Map<String, List<OrderEvent>> histories() {
        Map<String, List<OrderEvent>> histories = new LinkedHashMap<>();
        histories.put("not placed", List.of());
        histories.put("placed", List.of(PLACED));
        histories.put("paid", List.of(PLACED, PAID));
        histories.put("shipped", List.of(PLACED, PAID, SHIPPED));
        histories.put("cancelled", List.of(PLACED, CANCELLED));
        histories.put("cancelled after payment", List.of(PLACED, PAID, CANCELLED_AND_REFUNDED));
        return Collections.unmodifiableMap(histories);
    }

    static DeciderScenario<OrderCommand, OrderEvent, OrderState> scenario() {
        return DeciderScenario.of(new OrderDecider(), ORDER);
    }

    static DeciderScenario<OrderCommand, OrderEvent, OrderState> scenario(String state) {
        return scenario().given(HISTORIES.get(state).toArray(new OrderEvent[0]));
    }

    @Test
    void an_order_that_was_never_placed_is_the_initial_state() {
        assertThat(new OrderDecider().initialState()).isEqualTo(new NotPlaced());
    }

    @Nested
    class Placing {

        @Test
        void records_the_order_with_the_sum_of_its_line_totals() {
            OrderState state = scenario().when(PLACE).then(PLACED);

            assertThat(state).isEqualTo(new Placed(DETAILS));
        }

        @Test
        void a_single_line_totals_its_quantity_times_its_unit_price() {
            OrderLine line = new OrderLine("X", 10_000, Money.of(7, "JPY"));

            scenario().when(new PlaceOrder("c-9", "a-9", Money.currency("JPY"), List.of(line)))
                    .then(new OrderPlaced("c-9", "a-9", List.of(line), Money.of(70_000, "JPY")));
        }

        @Test
        void refuses_lines_whose_sum_overflows() {
            OrderLine half = new OrderLine("big", 1, Money.of(Long.MAX_VALUE / 2 + 1, "EUR"));

            DomainRuleViolationException refusal = scenario()
                    .when(new PlaceOrder("c-1", "a-1", EUR, List.of(half, half)))
                    .thenRefused(OrderRule.ORDER_TOTAL_OVERFLOW);

            assertThat(refusal).hasMessageContainingAll("o-1", "2 line(s)", "EUR", String.valueOf(Long.MAX_VALUE));
        }

        @Test
        void refuses_a_line_whose_own_total_overflows() {
            OrderLine line = new OrderLine("big", 3, Money.of(Long.MAX_VALUE / 2, "EUR"));

            scenario().when(new PlaceOrder("c-1", "a-1", EUR, List.of(line))).thenRefused(OrderRule.ORDER_TOTAL_OVERFLOW);
        }
    }

    @Nested
    class Paying {

        @Test
        void marks_a_placed_order_paid_with_exactly_its_total() {
            OrderState state = scenario("placed").when(PAY).then(PAID);

            assertThat(state).isEqualTo(new Paid(DETAILS, TOTAL));
        }

        @Test
        void refuses_another_amount_naming_both() {
            DomainRuleViolationException refusal = scenario("placed")
                    .when(new MarkOrderPaid(Money.of(3_000, "EUR")))
                    .thenRefused(OrderRule.PAYMENT_AMOUNT_MISMATCH);

            assertThat(refusal).hasMessageContainingAll("o-1", "3097 EUR", "3000 EUR");
        }

        @Test
        void refuses_the_right_number_in_another_currency() {
            DomainRuleViolationException refusal = scenario("placed")
                    .when(new MarkOrderPaid(Money.of(3_097, "USD")))
                    .thenRefused(OrderRule.PAYMENT_AMOUNT_MISMATCH);

            assertThat(refusal).hasMessageContainingAll("o-1", "3097 EUR", "3097 USD");
        }
    }

    @Nested
    class Shipping {

        @Test
        void ships_a_paid_order() {
            OrderState state = scenario("paid").when(SHIP).then(SHIPPED);

            assertThat(state).isEqualTo(new Shipped(DETAILS));
        }
    }

    @Nested
    class Cancelling {

        @Test
        void cancels_an_unpaid_order_without_a_refund() {
            OrderState state = scenario("placed").when(CANCEL).then(CANCELLED);

            assertThat(state).isEqualTo(new Cancelled(DETAILS, "customer changed their mind", null));
        }

        @Test
        void refunds_the_paid_amount_to_the_orders_account_when_a_paid_order_is_cancelled() {
            OrderState state = scenario("paid").when(CANCEL).then(CANCELLED_AND_REFUNDED);

            assertThat(state).isEqualTo(new Cancelled(DETAILS, "customer changed their mind", new Refund("a-1", TOTAL)));
        }
    }

    /** One (state, command) pair and what it must give. */
    record Move(String state, OrderCommand command) {

        @Override
        public String toString() {
            return state + ": " + command.getClass().getSimpleName();
        }
    }

    record Allowed(Move move, OrderEvent event) {
    }

    record Refused(Move move, OrderRule rule, List<String> mentions) {
    }

    static final List<Allowed> ALLOWED = List.of(
            new Allowed(new Move("not placed", PLACE), PLACED),
            new Allowed(new Move("placed", PAY), PAID),
            new Allowed(new Move("placed", CANCEL), CANCELLED),
            new Allowed(new Move("paid", SHIP), SHIPPED),
            new Allowed(new Move("paid", CANCEL), CANCELLED_AND_REFUNDED));

    static final List<Refused> REFUSED = List.of(
            refused("not placed", PAY, OrderRule.ORDER_NOT_FOUND, "order o-1 has not been placed", "cannot be paid"),
            refused("not placed", SHIP, OrderRule.ORDER_NOT_FOUND, "order o-1 has not been placed", "cannot be shipped"),
            refused("not placed", CANCEL, OrderRule.ORDER_NOT_FOUND, "order o-1 has not been placed", "cannot be cancelled"),
            refused("placed", PLACE, OrderRule.ORDER_ALREADY_PLACED, "order o-1", "customer c-1", "is PLACED"),
            refused("placed", SHIP, OrderRule.ORDER_NOT_PAID, "order o-1", "before it is paid", "3097 EUR", "account a-1"),
            refused("paid", PLACE, OrderRule.ORDER_ALREADY_PLACED, "order o-1", "customer c-1", "is PAID"),
            refused("paid", PAY, OrderRule.ORDER_ALREADY_PAID, "order o-1", "already paid", "3097 EUR", "account a-1"),
            refused("shipped", PLACE, OrderRule.ORDER_ALREADY_PLACED, "order o-1", "customer c-1", "is SHIPPED"),
            refused("shipped", PAY, OrderRule.ORDER_SHIPPED, "order o-1 is SHIPPED", "cannot be paid"),
            refused("shipped", SHIP, OrderRule.ORDER_SHIPPED, "order o-1 is SHIPPED", "cannot be shipped again"),
            refused("shipped", CANCEL, OrderRule.ORDER_SHIPPED, "order o-1 is SHIPPED", "cannot be cancelled"),
            refused("cancelled", PLACE, OrderRule.ORDER_ALREADY_PLACED, "order o-1", "customer c-1", "is CANCELLED"),
            refused("cancelled", PAY, OrderRule.ORDER_CANCELLED, "order o-1 is CANCELLED", "changed their mind", "cannot be paid"),
            refused("cancelled", SHIP, OrderRule.ORDER_CANCELLED, "order o-1 is CANCELLED", "cannot be shipped"),
            refused("cancelled", CANCEL, OrderRule.ORDER_CANCELLED, "order o-1 is CANCELLED", "cannot be cancelled again"),
            refused("cancelled after payment", PLACE, OrderRule.ORDER_ALREADY_PLACED, "order o-1", "is CANCELLED"),
            refused("cancelled after payment", PAY, OrderRule.ORDER_CANCELLED, "order o-1 is CANCELLED", "cannot be paid"),
            refused("cancelled after payment", SHIP, OrderRule.ORDER_CANCELLED, "order o-1 is CANCELLED", "cannot be shipped"),
            refused("cancelled after payment", CANCEL, OrderRule.ORDER_CANCELLED, "order o-1 is CANCELLED", "cannot be cancelled again"));

    private static Refused refused(String state, OrderCommand command, OrderRule rule, String... mentions) {
        return new Refused(new Move(state, command), rule, List.of(mentions));
    }

    static Stream<Arguments> allowedMoves() {
        return ALLOWED.stream().map(allowed -> argumentSet(allowed.move().toString(), allowed));
    }

    static Stream<Arguments> refusedMoves() {
        return REFUSED.stream().map(refused -> argumentSet(refused.move() + " -> " + refused.rule().code(), refused));
    }

    @Nested
    class The_state_machine {

        @ParameterizedTest
        @MethodSource("dev.factline.order.OrderDeciderTest#allowedMoves")
        void allows_the_legal_moves(Allowed allowed) {
            scenario(allowed.move().state()).when(allowed.move().command()).then(allowed.event());
        }

        @ParameterizedTest
        @MethodSource("dev.factline.order.OrderDeciderTest#refusedMoves")
        void refuses_every_other_move_with_its_rule_and_a_specific_message(Refused refused) {
            DomainRuleViolationException refusal = scenario(refused.move().state())
                    .when(refused.move().command())
                    .thenRefused(refused.rule());

            assertThat(refusal.getMessage()).contains(refused.mentions());
        }

        @Test
        void the_tables_above_cover_every_state_and_command_exactly_once() {
            List<Move> covered = new ArrayList<>();
            ALLOWED.forEach(allowed -> covered.add(allowed.move()));
            REFUSED.forEach(refused -> covered.add(refused.move()));
            Set<Move> all = new HashSet<>();
            HISTORIES.keySet().forEach(state -> COMMANDS.forEach(command -> all.add(new Move(state, command))));

            assertThat(covered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        }

        @Test
        void every_rule_is_exercised_and_has_a_kebab_case_code() {
            Set<OrderRule> exercised = new HashSet<>();
            REFUSED.forEach(refused -> exercised.add(refused.rule()));
            exercised.add(OrderRule.ORDER_TOTAL_OVERFLOW);
            exercised.add(OrderRule.PAYMENT_AMOUNT_MISMATCH);

            assertThat(exercised).containsExactlyInAnyOrder(OrderRule.values());
            assertThat(OrderRule.values()).extracting(OrderRule::code).allMatch(code -> code.matches("[a-z]+(-[a-z]+)*"));
        }
    }

    @Nested
    class Replaying {

        @Test
        void folds_a_whole_life_into_its_final_state() {
            OrderDecider decider = new OrderDecider();

            OrderState state = decider.evolveAll(decider.initialState(), HISTORIES.get("cancelled after payment"));

            assertThat(state).isEqualTo(new Cancelled(DETAILS, "customer changed their mind", new Refund("a-1", TOTAL)));
        }

        @Test
        void refuses_to_fold_a_payment_into_an_order_that_was_never_placed() {
            OrderDecider decider = new OrderDecider();

            assertThatThrownBy(() -> decider.evolve(decider.initialState(), PAID))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContainingAll("corrupt", "OrderPaid", "not placed");
        }

        @Test
        void refuses_to_fold_a_shipment_into_a_cancelled_order() {
            OrderDecider decider = new OrderDecider();
            OrderState cancelled = decider.evolveAll(decider.initialState(), HISTORIES.get("cancelled"));

            assertThatThrownBy(() -> decider.evolve(cancelled, SHIPPED))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContainingAll("OrderShipped", "CANCELLED");
        }

        @Test
        void refuses_to_fold_a_second_placement() {
            OrderDecider decider = new OrderDecider();

            assertThatThrownBy(() -> decider.evolveAll(decider.initialState(), List.of(PLACED, PLACED)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContainingAll("OrderPlaced", "PLACED");
        }
    }

    @Nested
    class Commands_refuse_malformed_input {

        static Stream<String> badSkus() {
            return Stream.of("", "has space", "ümlaut", "slash/no", "x".repeat(65));
        }

        @ParameterizedTest
        @MethodSource("badSkus")
        void a_bad_sku(String sku) {
            assertThatThrownBy(() -> new OrderLine(sku, 1, Money.of(100, "EUR")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sku must be 1-64 characters");
        }

        @Test
        void a_missing_sku() {
            assertThatThrownBy(() -> new OrderLine(null, 1, Money.of(100, "EUR")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sku must be");
        }

        @Test
        void accepts_skus_and_quantities_at_their_limits() {
            assertThat(new OrderLine("A-z_0.9".repeat(9) + "x", 1, Money.of(1, "EUR")).sku()).hasSize(64);
            assertThat(new OrderLine("s", OrderLine.MAX_QUANTITY, Money.of(1, "EUR")).quantity()).isEqualTo(10_000);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 10_001, Integer.MIN_VALUE})
        void a_quantity_outside_1_to_10000(int quantity) {
            assertThatThrownBy(() -> new OrderLine("sku", quantity, Money.of(100, "EUR")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("quantity must be 1-10000, but was " + quantity);
        }

        @Test
        void a_free_or_missing_unit_price() {
            assertThatThrownBy(() -> new OrderLine("sku", 1, Money.of(0, "EUR")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unitPrice must be positive");
            assertThatThrownBy(() -> new OrderLine("sku", 1, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unitPrice must be positive");
        }

        @Test
        void a_line_total_that_overflows_is_an_arithmetic_error() {
            OrderLine line = new OrderLine("sku", 2, Money.of(Long.MAX_VALUE, "EUR"));

            assertThatThrownBy(line::lineTotal).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void an_order_without_lines() {
            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", EUR, List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lines must hold 1-100 lines, but held 0");
            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", EUR, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("lines must hold 1-100 lines");
        }

        @Test
        void an_order_of_more_than_100_lines() {
            assertThat(new PlaceOrder("c-1", "a-1", EUR, Collections.nCopies(100, BOOKS)).lines()).hasSize(100);
            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", EUR, Collections.nCopies(101, BOOKS)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lines must hold 1-100 lines, but held 101");
        }

        @Test
        void lines_in_mixed_currencies() {
            OrderLine dollars = new OrderLine("usb", 1, Money.of(500, "USD"));

            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", EUR, List.of(BOOKS, dollars)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lines[1].unitPrice is in USD, but the order is in EUR");
        }

        @Test
        void lines_all_in_a_currency_other_than_the_orders() {
            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", Money.currency("USD"), List.of(BOOKS)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lines[0].unitPrice is in EUR, but the order is in USD");
        }

        @Test
        void a_missing_line_or_currency() {
            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", EUR, Arrays.asList(BOOKS, null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lines[1] is missing");
            assertThatThrownBy(() -> new PlaceOrder("c-1", "a-1", null, List.of(BOOKS)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("currency is required");
        }

        @Test
        void malformed_customer_and_account_ids() {
            assertThatThrownBy(() -> new PlaceOrder("c 1", "a-1", EUR, List.of(BOOKS)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("customerId must be");
            assertThatThrownBy(() -> new PlaceOrder("c-1", "", EUR, List.of(BOOKS)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("accountId must be");
        }

        @Test
        void a_placed_order_keeps_its_own_immutable_copy_of_the_lines() {
            List<OrderLine> lines = new ArrayList<>(List.of(BOOKS));
            PlaceOrder command = new PlaceOrder("c-1", "a-1", EUR, lines);
            lines.add(PENS);

            assertThat(command.lines()).containsExactly(BOOKS);
            assertThatThrownBy(() -> command.lines().add(PENS)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void a_payment_of_nothing() {
            assertThatThrownBy(() -> new MarkOrderPaid(Money.of(0, "EUR")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("amount must be positive");
            assertThatThrownBy(() -> new MarkOrderPaid(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("amount must be positive");
        }

        static Stream<String> badReasons() {
            return Stream.of("", " ", "\t\n", "r".repeat(201));
        }

        @ParameterizedTest
        @MethodSource("badReasons")
        void a_blank_or_overlong_reason(String reason) {
            assertThatThrownBy(() -> new CancelOrder(reason))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("reason must be 1-200 characters and not blank");
        }

        @Test
        void accepts_a_reason_of_200_characters() {
            assertThat(new CancelOrder("r".repeat(200)).reason()).hasSize(200);
        }
    }
}
