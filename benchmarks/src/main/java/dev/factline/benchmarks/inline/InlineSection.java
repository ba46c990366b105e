package dev.factline.benchmarks.inline;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountState;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.CapacityMeter;
import dev.factline.benchmarks.CapacityMeter.Bill;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Section;
import dev.factline.catalogue.ProductCommand;
import dev.factline.catalogue.ProductCommand.CreateProduct;
import dev.factline.catalogue.ProductCommand.ReserveStock;
import dev.factline.catalogue.ProductEvent;
import dev.factline.catalogue.ProductState;
import dev.factline.catalogue.ProductView;
import dev.factline.catalogue.Products;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.InlineModels;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.domain.HostedDomains;
import dev.factline.functions.store.DynamoDbEventStore;
import dev.factline.functions.store.EventTable;
import dev.factline.functions.store.StoreLimits;
import dev.factline.functions.testing.LocalDynamo;
import dev.factline.functions.view.ReadTable;
import dev.factline.money.Money;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * An inline read model against an asynchronous one, through the kernel's command handler on the
 * DynamoDB store (dynalite): a product reservation, whose commit also writes the product's view
 * and whose creation claims its SKU, against a deposit, whose view the projector writes later.
 * Calls and write units are counted by {@link CapacityMeter} on the store's client; latency is
 * the handler's wall time per command, the same machine and emulator for both.
 */
public final class InlineSection implements Section {

    private static final WritePolicy POLICY = WritePolicy.defaults().withSnapshots(SnapshotPolicy.never());
    private static final EventMetadata METADATA = EventMetadata.forCommand("bench");
    private static final int COLD_COMMANDS = 40;

    @Override
    public String id() {
        return "inline";
    }

    @Override
    public String title() {
        return "Inline read models against asynchronous ones";
    }

    @Override
    public void run(Bench bench) {
        int commands = bench.mode().pick(50, 300);
        int rounds = bench.mode().pick(3, 5);
        try (LocalDynamo dynamo = LocalDynamo.start()) {
            EventTable events = new EventTable("inline-events-" + UUID.randomUUID());
            ReadTable views = new ReadTable("inline-views-" + UUID.randomUUID());
            // Without its stream: nothing here reads it, and dynalite would keep a copy of every item written.
            dynamo.createTable(events.createTableRequest().toBuilder().streamSpecification((StreamSpecification) null).build());
            dynamo.createTable(views.createTableRequest());
            CapacityMeter meter = new CapacityMeter();
            try (DynamoDbClient client = dynamo.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build()) {
                World world = new World(new DynamoDbEventStore(client, events, views, StoreLimits.defaults(), Clock.systemUTC()), meter);
                bench.progress("%d commands a scenario, %d rounds", commands, rounds);
                measure(bench, world, commands, rounds);
            }
        }
        bench.note("Write units are computed from the requests' items by DynamoDB's rule (1 unit per KB of an item, twice that inside "
                + "a TransactWriteItems), since dynalite reports no capacity for transactions; a consistent GetItem is 1 read unit. "
                + "The asynchronous view's own cost comes later, in the projector: one row write per stream per batch inside a "
                + "transaction (the projector section's writes per event; 0.400 write units per event in the replay section's live "
                + "run, where each batch held one commit of each stream), and its lag before a read sees it (the end-to-end section's "
                + "projection lag, p50 142 ms on 2026-12-07).");
        bench.note("When to pick which: inline when a read right after the answer must show the command (a reservation a shop "
                + "acts on next) or a rule spans streams (a unique SKU); asynchronous for everything else, and always for views "
                + "that gather many streams (a tally, a listing of many owners), which an inline write would contend on. Inline "
                + "costs every command of the aggregate a transaction (twice the write units of its items) and, for a stream the "
                + "container does not remember, a consistent read of the row; it cannot be cached in Redis, and a failing inline "
                + "write fails the command.");
    }

    private static void measure(Bench bench, World world, int commands, int rounds) {
        List<Double> inlineLatency = new ArrayList<>();
        List<Double> asyncLatency = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Scenario inlineWarm = null;
        Scenario asyncWarm = null;
        for (int round = 0; round < rounds; round++) {
            CommandHandler<ProductCommand, ProductEvent, ProductState> products = world.products();
            CommandHandler<AccountCommand, AccountEvent, AccountState> accounts = world.accounts();
            StreamId product = world.createdProduct(products, commands);
            StreamId account = world.openedAccount(accounts);
            inlineWarm = world.run(commands, () -> products.handle(world.reserve(product)));
            asyncWarm = world.run(commands, () -> accounts.handle(world.deposit(account)));
            inlineLatency.add(inlineWarm.medianMillis());
            asyncLatency.add(asyncWarm.medianMillis());
            ratios.add(inlineWarm.medianMillis() / asyncWarm.medianMillis());
        }
        // Unsnapshotted streams of at most 40 commits stay within one read page (100 items), so a cold load is one Query, as it
        // is on a stream snapshotted every 100 events; longer ones would count the history's pages, not the inline write.
        int coldCommands = Math.min(commands, COLD_COMMANDS);
        StreamId coldProduct = world.createdProduct(world.products(), coldCommands);
        Scenario inlineCold = world.run(coldCommands, () -> world.products().handle(world.reserve(coldProduct)));
        StreamId coldAccount = world.openedAccount(world.accounts());
        Scenario asyncCold = world.run(coldCommands, () -> world.accounts().handle(world.deposit(coldAccount)));
        Scenario creations = world.run(commands, () -> world.products().handle(world.create(1)));
        int visible = world.readsSeeingTheirCommand(commands);

        String warm = "warm container (the stream it last wrote)";
        bench.count("inline, " + warm + ": calls per command", "calls/command", inlineWarm.callsPerCommand(),
                "a reservation on a product: " + inlineWarm.described(), Limit.floor(1, "floor: 1 TransactWriteItems, the commit and the view's row"));
        bench.count("asynchronous, " + warm + ": calls per command", "calls/command", asyncWarm.callsPerCommand(),
                "a deposit on an account: " + asyncWarm.described(), Limit.floor(1, "floor: 1 conditional PutItem, the commit"));
        bench.count("inline, cold container: calls per command", "calls/command", inlineCold.callsPerCommand(),
                "a reservation by a fresh container: " + inlineCold.described(),
                Limit.floor(3, "floor: 3 calls, the Query that loads the stream, the GetItem of the view's row, the TransactWriteItems"));
        bench.count("asynchronous, cold container: calls per command", "calls/command", asyncCold.callsPerCommand(),
                "a deposit by a fresh container: " + asyncCold.described(), Limit.floor(2, "floor: 2 calls, the Query and the PutItem"));
        bench.count("inline product creation (view and SKU claim): calls per command", "calls/command", creations.callsPerCommand(),
                "a new product with a SKU of its own, by a fresh container: " + creations.described(),
                Limit.floor(2, "floor: 2 calls, the Query that finds no stream and one TransactWriteItems of the commit, the row and the claim"));
        bench.count("inline, " + warm + ": write units per command", "WRU/command", inlineWarm.writeUnitsPerCommand(), inlineWarm.described(), null);
        bench.count("asynchronous, " + warm + ": write units per command, the commit only", "WRU/command",
                asyncWarm.writeUnitsPerCommand(), asyncWarm.described() + "; the projector's row write comes later (see the notes)", null);
        bench.count("inline product creation: write units per command", "WRU/command", creations.writeUnitsPerCommand(), creations.described(), null);
        bench.figure("inline, " + warm + ": command latency p50", "ms", inlineLatency,
                "median of " + commands + " reservations per round, each timed around CommandHandler.handle; median of " + rounds + " rounds", null);
        bench.figure("asynchronous, " + warm + ": command latency p50", "ms", asyncLatency,
                "median of " + commands + " deposits per round, each timed around CommandHandler.handle; median of " + rounds + " rounds", null);
        bench.figure("inline / asynchronous command latency p50", "ratio", ratios, "per round, the two medians above; median of the rounds", null);
        bench.count("reads right after the answer that show the command, inline", "share", (double) visible / commands,
                commands + " reservations, each followed at once by a consistent read of the product's row; those whose row had the "
                        + "commit's version", Limit.atLeast(1, "every one: the row is written in the commit"));
    }

    /** The handlers and the store, each handler a fresh container. */
    private record World(DynamoDbEventStore store, CapacityMeter meter) {

        CommandHandler<ProductCommand, ProductEvent, ProductState> products() {
            InlineModels<ProductEvent> inline = HostedDomains.STANDARD.inlineModels(Products.TYPE);
            return new CommandHandler<>(Products.TYPE, inline, store, Clock.systemUTC(), IdGenerator.random(), POLICY);
        }

        CommandHandler<AccountCommand, AccountEvent, AccountState> accounts() {
            return new CommandHandler<>(Accounts.TYPE, store, Clock.systemUTC(), IdGenerator.random(), POLICY);
        }

        /** A new product with a SKU of its own. */
        CommandRequest<ProductCommand> create(int stock) {
            return CommandRequest.of(Products.TYPE.streamId("p-" + UUID.randomUUID()), new CreateProduct("SKU-" + UUID.randomUUID(), "Kettle", stock),
                    METADATA);
        }

        StreamId createdProduct(CommandHandler<ProductCommand, ProductEvent, ProductState> handler, int reservations) {
            CommandRequest<ProductCommand> create = create(reservations * 2);
            handler.handle(create);
            return create.streamId();
        }

        CommandRequest<ProductCommand> reserve(StreamId product) {
            return CommandRequest.of(product, new ReserveStock("r-" + UUID.randomUUID(), 1), METADATA);
        }

        StreamId openedAccount(CommandHandler<AccountCommand, AccountEvent, AccountState> handler) {
            StreamId account = Accounts.TYPE.streamId("a-" + UUID.randomUUID());
            handler.handle(CommandRequest.of(account, new OpenAccount("bench", Currency.getInstance("EUR")), METADATA));
            return account;
        }

        CommandRequest<AccountCommand> deposit(StreamId account) {
            return CommandRequest.of(account, new DepositMoney(Money.of(100, "EUR"), null), METADATA);
        }

        /** {@code commands} runs of {@code command}, each timed, with the calls and units they made. */
        Scenario run(int commands, Supplier<?> command) {
            Bill before = meter.bill();
            List<Double> millis = new ArrayList<>(commands);
            for (int i = 0; i < commands; i++) {
                long start = System.nanoTime();
                command.get();
                millis.add((System.nanoTime() - start) / 1e6);
            }
            return new Scenario(commands, before, meter.bill(), millis);
        }

        /** Reservations, each followed by a consistent read of the row: how many showed the version the commit answered. */
        int readsSeeingTheirCommand(int commands) {
            CommandHandler<ProductCommand, ProductEvent, ProductState> handler = products();
            StreamId product = createdProduct(handler, commands);
            int seen = 0;
            for (int i = 0; i < commands; i++) {
                long version = handler.handle(reserve(product)).commit().streamVersion();
                if (store.inlineView(ProductView.MODEL, product).map(ProductView::version).orElse(0L) == version) {
                    seen++;
                }
            }
            return seen;
        }
    }

    /** What one scenario cost. */
    private record Scenario(int commands, Bill before, Bill after, List<Double> millis) {

        double callsPerCommand() {
            return (double) (after.totalCalls() - before.totalCalls()) / commands;
        }

        double writeUnitsPerCommand() {
            return (after.writeUnits() - before.writeUnits()) / commands;
        }

        double medianMillis() {
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        String described() {
            List<String> operations = new ArrayList<>();
            after.calls().forEach((operation, count) -> {
                int made = count - before.calls(operation);
                if (made > 0) {
                    operations.add(operation + "=" + made);
                }
            });
            return commands + " commands made " + operations + " and " + Math.round(after.writeUnits() - before.writeUnits()) + " write units";
        }
    }
}
