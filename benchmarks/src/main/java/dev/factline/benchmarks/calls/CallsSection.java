package dev.factline.benchmarks.calls;

import dev.factline.benchmarks.Bench;
import dev.factline.benchmarks.Limit;
import dev.factline.benchmarks.Section;
import dev.factline.benchmarks.calls.CountedStore.Calls;
import dev.factline.eventsourcing.RetryBackoff;
import dev.factline.eventsourcing.SnapshotPolicy;
import dev.factline.eventsourcing.WritePolicy;
import dev.factline.functions.testing.LocalDynamo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * DynamoDB calls per command, counted by an SDK interceptor on dynalite through the real write
 * path (the kernel's command handler on the DynamoDB event store, as
 * {@code CallsPerCommandIT} does), then again through the HTTP command function to show the
 * HTTP layer adds none.
 */
public final class CallsSection implements Section {

    /**
     * No pause between attempts (calls are counted, not timed), and no snapshots but in their own
     * scenario, so a stream crossing the interval does not add a write to another scenario's count.
     */
    private static final WritePolicy POLICY = WritePolicy.defaults().withBackoff(RetryBackoff.none()).withSnapshots(SnapshotPolicy.never());
    private static final int SNAPSHOT_INTERVAL = SnapshotPolicy.DEFAULT_EVERY;

    private static final String WARM = "warm command (on the stream the container last wrote)";
    private static final String COLD = "cold command (fresh container)";
    private static final String CONFLICT = "two containers alternating on one stream";
    private static final String CONFLICT_DISTRUSTED = CONFLICT + ", memory no longer trusted";
    /** The stale remembered states in a row after which a container loads first (the kernel's MemoryTrust). */
    private static final int STALE_STATES_TRUSTED = 3;
    private static final String KEYED_FIRST = "command with an idempotency key, first time";
    private static final String KEYED_REPEAT = "command with an idempotency key, repeated";
    private static final String SNAPSHOT_DUE = "commands on a stream snapshotted every " + SNAPSHOT_INTERVAL + " events";

    /** What one scenario cost: its calls and the commands that made them. */
    private record Measured(Calls calls, int commands) {

        double perCommand() {
            return (double) calls.total() / commands;
        }

        String described() {
            return commands + " commands made " + calls.total() + " calls " + calls.byOperation()
                    + (calls.refusedWrites() == 0 ? "" : ", " + calls.refusedWrites() + " of them writes refused by their condition");
        }
    }

    @Override
    public String id() {
        return "calls";
    }

    @Override
    public String title() {
        return "DynamoDB calls per command";
    }

    @Override
    public void run(Bench bench) {
        // At most 40: the contested stream then stays under one read page (100 items) unsnapshotted, so each reload is
        // one Query, as it is on a stream snapshotted every 100 events.
        int commands = bench.mode().pick(10, 40);
        try (LocalDynamo dynamo = LocalDynamo.start(); CountedStore counted = new CountedStore(dynamo, "calls")) {
            bench.progress("the kernel's command handler, %d commands a scenario", commands);
            Map<String, Measured> kernel = measure(counted, Container.KERNEL, commands);
            report(bench, kernel);
            bench.progress("the same through the HTTP command function");
            Map<String, Measured> http = measure(counted, Container.HTTP, commands);
            compare(bench, kernel, http);
            bench.progress("commands with personal data");
            new PersonalDataCalls(counted, POLICY).measure(bench, commands);
        }
        bench.note("Counted by an SDK ExecutionInterceptor (CallCounter) on the store's DynamoDB client, on dynalite, with "
                + "WritePolicy.defaults() but no pause between attempts and no snapshots outside their own scenario. A refused "
                + "write is a conditional PutItem that DynamoDB refused: a writer that lost the race for a version, or a key's "
                + "claim found in place.");
        bench.note("A refused conditional commit brings the item in the way (ReturnValuesOnConditionCheckFailure ALL_OLD) here as "
                + "on DynamoDB (the local server's add-on, tools/dynalite-streams.js), so these counts are DynamoDB's.");
        bench.note("A conflict's VersionConflictException reads the stream's head only when asked (for a 412's message); a "
                + "writer that retries reloads the stream instead, so the head Query of earlier runs is gone.");
    }

    /** Every scenario on {@code path}, each on fresh accounts, in report order. */
    private static Map<String, Measured> measure(CountedStore counted, Container.Factory path, int commands) {
        Map<String, Measured> measured = new LinkedHashMap<>();

        Container warm = path.fresh(counted.store(), POLICY);
        String warmAccount = opened(warm);
        measured.put(WARM, new Measured(counted.callsOf(() -> repeat(commands, () -> warm.deposit(warmAccount, null))), commands));

        String coldAccount = opened(path.fresh(counted.store(), POLICY));
        measured.put(COLD, new Measured(counted.callsOf(
                () -> repeat(commands, () -> path.fresh(counted.store(), POLICY).deposit(coldAccount, null))), commands));

        // Each writes after the other, so each finds the version it remembers taken: a conflict per command
        // until each stops trusting its memory (three stale states), then a load before each command.
        Container first = path.fresh(counted.store(), POLICY);
        Container second = path.fresh(counted.store(), POLICY);
        String contested = opened(first);
        second.deposit(contested, null);
        Runnable alternate = () -> {
            first.deposit(contested, null);
            second.deposit(contested, null);
        };
        measured.put(CONFLICT, new Measured(counted.callsOf(() -> repeat(STALE_STATES_TRUSTED, alternate)), 2 * STALE_STATES_TRUSTED));
        measured.put(CONFLICT_DISTRUSTED, new Measured(counted.callsOf(() -> repeat(commands, alternate)), 2 * commands));

        // Each on a warm container: a repeat makes the container forget the stream, so a plain deposit warms it again.
        Calls keyedFirst = Calls.NONE;
        Calls keyedRepeat = Calls.NONE;
        for (int i = 0; i < commands; i++) {
            String key = "key-" + UUID.randomUUID();
            keyedFirst = keyedFirst.plus(counted.callsOf(() -> warm.deposit(warmAccount, key)));
            keyedRepeat = keyedRepeat.plus(counted.callsOf(() -> warm.deposit(warmAccount, key)));
            warm.deposit(warmAccount, null);
        }
        measured.put(KEYED_FIRST, new Measured(keyedFirst, commands));
        measured.put(KEYED_REPEAT, new Measured(keyedRepeat, commands));

        // Opened at version 1, so the interval's commands cross its first multiple exactly once.
        Container snapshotting = path.fresh(counted.store(), POLICY.withSnapshots(SnapshotPolicy.every(SNAPSHOT_INTERVAL)));
        String snapshotted = opened(snapshotting);
        measured.put(SNAPSHOT_DUE, new Measured(counted.callsOf(
                () -> repeat(SNAPSHOT_INTERVAL, () -> snapshotting.deposit(snapshotted, null))), SNAPSHOT_INTERVAL));
        return measured;
    }

    private static void report(Bench bench, Map<String, Measured> kernel) {
        figure(bench, WARM, kernel.get(WARM), Limit.floor(1, "floor: 1 call, the conditional PutItem of the commit"));
        figure(bench, COLD, kernel.get(COLD), Limit.floor(2, "floor: 2 calls, one Query to load the stream and the conditional PutItem"));
        Measured conflict = kernel.get(CONFLICT);
        figure(bench, CONFLICT + ": calls per successful command, the first " + STALE_STATES_TRUSTED + " each", conflict,
                Limit.floor(3, "floor: 3 calls, the commit PutItem refused (with the item in the way, which is not our own), the "
                        + "Query that reloads the stream, the PutItem that wins"));
        bench.count(CONFLICT + ": conflicts per command, the first " + STALE_STATES_TRUSTED + " each", "conflicts",
                (double) conflict.calls().refusedWrites() / conflict.commands(),
                "refused conditional PutItems over commands; " + conflict.described(), null);
        bench.count(CONFLICT + ": calls per conflict, beyond the warm command's", "calls",
                (double) (conflict.calls().total() - conflict.commands()) / conflict.calls().refusedWrites(),
                "the calls counted less the 1 call per command a warm command makes, over the refused writes; ("
                        + conflict.calls().total() + " - " + conflict.commands() + ") / " + conflict.calls().refusedWrites() + "; "
                        + conflict.described(),
                Limit.floor(2, "floor: 2 calls, the refused PutItem and the reload Query (the PutItem that wins is the command's own)"));
        Measured distrusted = kernel.get(CONFLICT_DISTRUSTED);
        figure(bench, CONFLICT_DISTRUSTED, distrusted,
                Limit.floor(2, "floor: 2 calls, the Query and the PutItem: after " + STALE_STATES_TRUSTED
                        + " stale remembered states in a row a container loads first, as a cold one does"));
        bench.count(CONFLICT_DISTRUSTED + ": conflicts per command", "conflicts",
                (double) distrusted.calls().refusedWrites() / distrusted.commands(),
                "refused conditional PutItems over commands; " + distrusted.described(), null);
        figure(bench, KEYED_FIRST, kernel.get(KEYED_FIRST),
                Limit.floor(2, "floor without transactions: 2 conditional PutItems, the key's claim and the commit"));
        figure(bench, KEYED_REPEAT, kernel.get(KEYED_REPEAT),
                Limit.floor(2, "floor: 2 calls, the claim PutItem refused with the claim in place (ALL_OLD) and a consistent GetItem "
                        + "of the commit after its version, which carries the key and the events the answer repeats"));
        figure(bench, SNAPSHOT_DUE, kernel.get(SNAPSHOT_DUE), Limit.floor(1 + 1.0 / SNAPSHOT_INTERVAL,
                "floor: 1 PutItem per command plus 1 snapshot PutItem per " + SNAPSHOT_INTERVAL + " events"));
    }

    private static void figure(Bench bench, String name, Measured measured, @Nullable Limit floor) {
        bench.count(name, "calls/command", measured.perCommand(),
                "calls counted over the commands through CommandHandler on DynamoDbEventStore, averaged; " + measured.described(), floor);
    }

    /** The HTTP path's counts, operation by operation, against the kernel's: a note when equal, a figure where not. */
    private static void compare(Bench bench, Map<String, Measured> kernel, Map<String, Measured> http) {
        List<String> differing = new ArrayList<>();
        http.forEach((scenario, measured) -> {
            if (!measured.calls().byOperation().equals(kernel.get(scenario).calls().byOperation())) {
                differing.add(scenario);
                bench.count("through the HTTP command function: " + scenario, "calls/command", measured.perCommand(),
                        "CommandFunction.handleRequest on HTTP API events; " + measured.described()
                                + "; the kernel alone: " + kernel.get(scenario).described(), null);
            }
        });
        bench.note(differing.isEmpty()
                ? "Through the HTTP command function (CommandFunction answering HTTP API events, the same scenarios and counts "
                        + "of commands) every scenario made exactly the same calls, operation by operation: the HTTP layer "
                        + "adds no DynamoDB call."
                : "Through the HTTP command function these scenarios made other calls than the kernel alone: "
                        + String.join("; ", differing) + " (see their figures).");
    }

    private static String opened(Container container) {
        String account = "a-" + UUID.randomUUID();
        container.open(account);
        return account;
    }

    private static void repeat(int times, Runnable work) {
        for (int i = 0; i < times; i++) {
            work.run();
        }
    }
}
