package dev.factline.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.account.AccountCommand;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.CloseAccount;
import dev.factline.account.DebitForOrder;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.account.RefundForOrder;
import dev.factline.account.WithdrawMoney;
import dev.factline.catalogue.ProductCommand;
import dev.factline.catalogue.ProductCommand.AddStock;
import dev.factline.catalogue.ProductCommand.CreateProduct;
import dev.factline.catalogue.ProductCommand.DescribeProduct;
import dev.factline.catalogue.ProductCommand.ReleaseReservation;
import dev.factline.catalogue.ProductCommand.ReserveStock;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.DomainRuleViolationException;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.personal.SubjectCommand.ForgetPersonalData;
import dev.factline.personal.Subjects;
import dev.factline.order.OrderCommand;
import dev.factline.order.OrderCommand.CancelOrder;
import dev.factline.order.OrderCommand.MarkOrderPaid;
import dev.factline.order.OrderCommand.PlaceOrder;
import dev.factline.order.OrderCommand.ShipOrder;
import dev.factline.order.OrderLine;
import dev.factline.order.OrderState;
import dev.factline.order.Orders;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Every stored event follows its schema: what the deciders produce today against the current
 * version, and the stored fixtures of older versions against their own, then lifted by the
 * upcasters to a current event that follows the current schema. The deciders are driven by
 * commands drawn from a seeded {@link Random} (edge values included), so a failure replays.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredEventsFollowTheirSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 22;
    private static final int STREAMS_PER_AGGREGATE = 60;
    private static final int COMMANDS_PER_STREAM = 25;
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final List<Currency> CURRENCIES = List.of(Money.currency("EUR"), Money.currency("JPY"), Money.currency("USD"));
    private static final long[] AMOUNTS = {1, 2, 99, 1_000, 123_456_789, Long.MAX_VALUE / 2, Long.MAX_VALUE};
    private static final List<String> ORDERS = List.of("o-1", "o-2", "o-3");

    private final SchemaCatalogue catalogue = SchemaCatalogue.read(SchemaCatalogue.COMMITTED);

    @Test
    void every_event_the_deciders_produce_follows_the_current_schema_of_its_type() {
        Random random = new Random(SEED);
        Map<String, List<String>> errorsByType = new TreeMap<>();
        TreeSet<String> produced = new TreeSet<>();
        for (SerializedEvent event : decided(random)) {
            produced.add(event.type());
            JsonNode schema = catalogue.find(event.type(), event.schemaVersion()).orElseThrow().schema();
            List<String> errors = SchemaValidator.errors(schema, tree(event.payload()));
            if (!errors.isEmpty()) {
                errorsByType.computeIfAbsent(EventContract.title(event.type(), event.schemaVersion()), title -> new ArrayList<>())
                        .add(event.payload() + " " + errors);
            }
        }

        assertThat(errorsByType).isEmpty();
        assertThat(produced).as("every event type is produced by some command, so every current schema is exercised")
                .containsExactlyInAnyOrderElementsOf(PublishedEvents.current().stream().map(EventContract::type).toList());
    }

    @Test
    void every_stored_fixture_of_an_older_version_follows_its_own_schema_and_upcasts_to_the_current_one() throws IOException {
        int fixtures = 0;
        for (EventContract current : PublishedEvents.current()) {
            for (int version = 1; version < current.version(); version++) {
                JsonNode stored = storedFixtures(current.type(), version);
                assertThat(stored.size()).as("fixtures of %s", EventContract.title(current.type(), version)).isPositive();
                JsonNode ownSchema = catalogue.find(current.type(), version).orElseThrow().schema();
                for (JsonNode payload : stored) {
                    assertThat(SchemaValidator.errors(ownSchema, payload)).as("%s against its own schema", payload).isEmpty();
                    SerializedEvent upcast = decodedAndEncodedAgain(codecOf(current.type()), current.type(), version, payload.toString());
                    assertThat(upcast.schemaVersion()).isEqualTo(current.version());
                    assertThat(SchemaValidator.errors(current.schema(), tree(upcast.payload()))).as("%s upcast", payload).isEmpty();
                    fixtures++;
                }
            }
        }
        assertThat(fixtures).as("MoneyDeposited v1 and v2 have fixtures at least").isGreaterThanOrEqualTo(2);
    }

    private static List<SerializedEvent> decided(Random random) {
        List<SerializedEvent> events = new ArrayList<>();
        events.addAll(explore(Accounts.TYPE, random, StoredEventsFollowTheirSchemasTest::accountCommand));
        events.addAll(explore(Orders.TYPE, random, StoredEventsFollowTheirSchemasTest::orderCommand));
        events.addAll(explore(Products.TYPE, random, (r, state) -> productCommand(r)));
        events.addAll(explore(Subjects.TYPE, random, (r, state) -> new ForgetPersonalData("key-" + r.nextInt(3))));
        return events;
    }

    /** Commands against fresh streams, refusals skipped, each accepted event folded in and encoded as the store would keep it. */
    private static <C, E, S> List<SerializedEvent> explore(AggregateType<C, E, S> type, Random random, BiFunction<Random, S, C> commands) {
        List<SerializedEvent> encoded = new ArrayList<>();
        for (int stream = 0; stream < STREAMS_PER_AGGREGATE; stream++) {
            StreamId streamId = type.streamId("s-" + stream);
            S state = type.decider().initialState();
            for (int step = 0; step < COMMANDS_PER_STREAM; step++) {
                List<E> decided;
                try {
                    decided = type.decider().decide(commands.apply(random, state), state, new DecisionContext(streamId, NOW, () -> new UUID(0, 1)));
                } catch (DomainRuleViolationException refused) {
                    continue;
                }
                for (E event : decided) {
                    state = type.decider().evolve(state, event);
                    encoded.add(type.events().encode(event));
                }
            }
        }
        return encoded;
    }

    private static AccountCommand accountCommand(Random random, AccountState state) {
        return switch (random.nextInt(8)) {
            case 0 -> random.nextBoolean()
                    ? new OpenAccount("owner-" + random.nextInt(5), pick(random, CURRENCIES))
                    : new OpenAccount("owner-" + random.nextInt(5), pick(random, CURRENCIES), "Ada Lovelace", "ada@example.org");
            case 1, 2 -> new DepositMoney(money(random), pick(random, references()));
            case 3 -> new WithdrawMoney(money(random));
            case 4, 5 -> new DebitForOrder(pick(random, ORDERS), money(random));
            // What an order was debited, when one was, so refunds are accepted too.
            case 6 -> debited(state).map(payment -> new RefundForOrder(payment.getKey(), payment.getValue().debited()))
                    .orElseGet(() -> new RefundForOrder(pick(random, ORDERS), money(random)));
            default -> new CloseAccount();
        };
    }

    private static Optional<Map.Entry<String, AccountState.OrderPayment>> debited(AccountState state) {
        AccountState.OrderLedger orders = switch (state) {
            case AccountState.Open open -> open.orders();
            case AccountState.Closed closed -> closed.orders();
            case AccountState.Unopened unopened -> AccountState.OrderLedger.EMPTY;
        };
        return orders.payments().entrySet().stream().findFirst();
    }

    private static OrderCommand orderCommand(Random random, OrderState state) {
        return switch (random.nextInt(4)) {
            case 0 -> new PlaceOrder("customer-" + random.nextInt(5), "a-" + random.nextInt(5), Money.currency("EUR"), lines(random),
                    random.nextBoolean() ? null : "12 Analytical Row, London");
            // Exactly the total when there is an order, so payments are accepted and paid orders get shipped or refunded.
            case 1 -> new MarkOrderPaid(state instanceof OrderState.Existing order ? order.order().total() : money(random));
            case 2 -> new ShipOrder();
            default -> new CancelOrder(pick(random, List.of("changed my mind", "é", "x".repeat(CancelOrder.MAX_REASON_LENGTH))));
        };
    }

    private static ProductCommand productCommand(Random random) {
        int quantity = pick(random, List.of(1, 2, 500, 1_000_000_000));
        return switch (random.nextInt(5)) {
            case 0 -> new CreateProduct(pick(random, List.of("SKU-1", "a", "x".repeat(64))), "Product " + random.nextInt(9), random.nextInt(3) * 500);
            case 1 -> new AddStock(quantity);
            case 3 -> new DescribeProduct(pick(random, List.of("A mug.", "\"Quoted\"\n\u00e9", "d".repeat(ProductCommand.MAX_DESCRIPTION_BYTES))));
            case 2 -> new ReserveStock(pick(random, List.of("r-1", "r-2")), quantity);
            default -> new ReleaseReservation(pick(random, List.of("r-1", "r-2")));
        };
    }

    private static List<OrderLine> lines(Random random) {
        List<OrderLine> lines = new ArrayList<>();
        for (int line = 0, count = 1 + random.nextInt(3); line < count; line++) {
            lines.add(new OrderLine("SKU-" + line, 1 + random.nextInt(OrderLine.MAX_QUANTITY), Money.of(1 + random.nextInt(100_000), "EUR")));
        }
        return lines;
    }

    private static Money money(Random random) {
        return new Money(AMOUNTS[random.nextInt(AMOUNTS.length)], pick(random, CURRENCIES));
    }

    private static List<String> references() {
        List<String> references = new ArrayList<>(List.of("r", "Rent, December 🙂", "x".repeat(100)));
        references.add(null);
        return references;
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static EventCodec<?> codecOf(String type) {
        return PublishedEvents.CODECS.stream().filter(codec -> codec.typeNames().contains(type)).findFirst().orElseThrow();
    }

    private static <E> SerializedEvent decodedAndEncodedAgain(EventCodec<E> codec, String type, int version, String payload) {
        RecordedEvent stored = new RecordedEvent(new UUID(0, 1), StreamId.of("fixture", "f-1"), 1, type, version, NOW, payload,
                EventMetadata.forCommand("fixture"));
        return codec.encode(codec.decode(stored));
    }

    private JsonNode storedFixtures(String type, int version) throws IOException {
        try (InputStream fixtures = getClass().getResourceAsStream("/contracts/stored/" + type + "/" + version + ".json")) {
            assertThat(fixtures).as("stored fixtures of %s under src/test/resources/contracts/stored/%s/%d.json",
                    EventContract.title(type, version), type, version).isNotNull();
            return JSON.readTree(fixtures);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
