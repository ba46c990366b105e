package dev.factline.benchmarks.pure;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountOpened;
import dev.factline.account.AccountState;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.MoneyDeposited;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.DecisionContext;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.PersonalFields;
import dev.factline.eventsourcing.Projection;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.order.OrderEvent.OrderPlaced;
import dev.factline.order.OrderEvent;
import dev.factline.order.OrderLine;
import dev.factline.order.Orders;
import dev.factline.personal.DataKeys;
import dev.factline.personal.InMemoryDataKeys;
import dev.factline.personal.PersonalData;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The benchmarks {@link PurePathsSection} runs. Each method returns what it computed, so JMH
 * consumes it and the JIT cannot drop the work. State fields are set in {@code @Setup}, not
 * final, so the JIT cannot fold them into constants the real paths never see; JMH calls
 * {@code @Setup} before any benchmark reads them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PurePathBenchmarks {

    private static final String ACCOUNT_ID = "acc-42";
    private static final UUID EVENT_ID = UUID.fromString("0b6f3c1e-55d2-4f0e-9a3b-6c7d8e9f0a1b");
    private static final Instant OCCURRED_AT = Instant.parse("2026-03-02T10:15:30Z");
    private static final EventMetadata METADATA = EventMetadata.forCommand("3f1c9a52-7d1e-4b7a-9a4e-0c5d2e8b6f10");

    /** An open account holding 100.00 EUR, and a deposit for it, as the warm command handler has them. */
    @State(Scope.Thread)
    public static class WritePath {
        AggregateType<AccountCommand, AccountEvent, AccountState> accounts;
        InstantSource clock;
        IdGenerator ids;
        StreamId stream;
        AccountState state;
        AccountCommand command;
        EventMetadata metadata;

        @Setup
        public void setUp() {
            accounts = Accounts.TYPE;
            // The command function's clock and ids (CommandFunction's no-arg constructor).
            clock = Clock.systemUTC();
            ids = IdGenerator.random();
            stream = accounts.streamId(ACCOUNT_ID);
            state = accounts.decider().evolveAll(accounts.decider().initialState(), List.of(
                    new AccountOpened("owner-7", Money.currency("EUR")),
                    new MoneyDeposited(Money.of(10_000, "EUR"), null)));
            command = new DepositMoney(Money.of(1_250, "EUR"), "rent, March");
            metadata = METADATA;
        }
    }

    /** A {@code MoneyDeposited} stored at schema v1 (flat amount), arriving at the view of the account it follows. */
    @State(Scope.Thread)
    public static class ProjectedDeposit {
        EventCodec<AccountEvent> codec;
        Projection<AccountEvent, AccountView> projection;
        AccountView view;
        RecordedEvent depositV1;

        @Setup
        public void setUp() {
            codec = Accounts.codec();
            projection = AccountView.PROJECTION;
            StreamId stream = Accounts.TYPE.streamId(ACCOUNT_ID);
            Instant openedAt = Instant.parse("2026-03-01T09:00:00Z");
            view = projection.apply(null, stream, 1, openedAt, new AccountOpened("owner-7", Money.currency("EUR")));
            depositV1 = recorded(stream, 2, "MoneyDeposited", 1, "{\"amount\":1250,\"currency\":\"EUR\"}");
        }
    }

    /** One account event and one order event, each to be encoded and decoded back. */
    @State(Scope.Thread)
    public static class RoundTrip {
        EventCodec<AccountEvent> accountCodec;
        EventCodec<OrderEvent> orderCodec;
        StreamId accountStream;
        StreamId orderStream;
        AccountEvent deposit;
        OrderEvent placed;

        @Setup
        public void setUp() {
            accountCodec = Accounts.codec();
            orderCodec = Orders.EVENTS;
            accountStream = Accounts.TYPE.streamId(ACCOUNT_ID);
            orderStream = Orders.TYPE.streamId("ord-9001");
            deposit = new MoneyDeposited(Money.of(1_250, "EUR"), "rent, March");
            placed = new OrderPlaced("cust-3", ACCOUNT_ID, List.of(
                    new OrderLine("SKU-TEA-250", 2, Money.of(650, "EUR")),
                    new OrderLine("SKU-MUG-01", 1, Money.of(1_200, "EUR"))), Money.of(2_500, "EUR"));
        }
    }

    /** An {@code AccountOpened} with the holder's name and email, and the subject's data key cached, as a warm container has it. */
    @State(Scope.Thread)
    public static class PersonalPayload {
        PersonalFields fields;
        DataKeys keys;
        String plain;
        String sealed;

        @Setup
        public void setUp() {
            fields = Accounts.codec().personalFields("AccountOpened").orElseThrow();
            keys = new InMemoryDataKeys();
            plain = Accounts.codec().encode(new AccountOpened("owner-7", Money.currency("EUR"), "Ada Lovelace", "ada@example.org")).payload();
            sealed = PersonalData.seal(plain, fields, keys);
        }
    }

    /** What sealing adds to a command that carries personal data: its payload parsed, two fields sealed with AES-GCM, written again. */
    @Benchmark
    public String sealPersonalFields(PersonalPayload payload) {
        return PersonalData.seal(payload.plain, payload.fields, payload.keys);
    }

    /** What revealing adds to an answer that holds an event's sealed fields: parsed, opened, written again (key lookup in memory). */
    @Benchmark
    public String revealPersonalFields(PersonalPayload payload) {
        return PersonalData.reveal(payload.sealed, payload.keys, "the benchmark's event");
    }

    /**
     * What the command handler does between reading its clock and appending: decide on the
     * state, then {@link EventCodec#toNewEvents} (each event's JSON with an id, the decision's
     * instant and the command's metadata). The result is what {@code EventStore.append} receives.
     */
    @Benchmark
    public List<NewEvent> decideAndEncode(WritePath write) {
        Instant now = write.clock.instant();
        List<AccountEvent> decided = write.accounts.decider().decide(write.command, write.state, new DecisionContext(write.stream, now, write.ids));
        return write.accounts.events().toNewEvents(decided, write.ids, now, write.metadata);
    }

    /** One event as the projector's fold applies it: decoded (v1 -> v2 -> v3) and applied to the stored view. */
    @Benchmark
    public AccountView decodeUpcastAndFold(ProjectedDeposit projected) {
        RecordedEvent event = projected.depositV1;
        return projected.projection.apply(projected.view, event.streamId(), event.version(), event.occurredAt(), projected.codec.decode(event));
    }

    @Benchmark
    public AccountEvent accountEventRoundTrip(RoundTrip trip) {
        return roundTrip(trip.accountCodec, trip.accountStream, trip.deposit);
    }

    @Benchmark
    public OrderEvent orderEventRoundTrip(RoundTrip trip) {
        return roundTrip(trip.orderCodec, trip.orderStream, trip.placed);
    }

    private static <E> E roundTrip(EventCodec<E> codec, StreamId stream, E event) {
        SerializedEvent serialized = codec.encode(event);
        return codec.decode(recorded(stream, 1, serialized.type(), serialized.schemaVersion(), serialized.payload()));
    }

    private static RecordedEvent recorded(StreamId stream, long version, String type, int schemaVersion, String payload) {
        return new RecordedEvent(EVENT_ID, stream, version, type, schemaVersion, OCCURRED_AT, payload, METADATA);
    }
}
