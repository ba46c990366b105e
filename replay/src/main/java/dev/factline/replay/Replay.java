package dev.factline.replay;

import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.store.ClaimChecks;
import dev.factline.functions.rebuild.Cutover;
import dev.factline.functions.rebuild.EventTableScan;
import dev.factline.functions.rebuild.EventTableScan.EventTableUnavailableException;
import dev.factline.functions.rebuild.ReadModelDiff;
import dev.factline.functions.rebuild.Rebuild;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.rebuild.RebuildLedger.RebuildRefusedException;
import dev.factline.functions.rebuild.RebuildProgress;
import dev.factline.functions.rebuild.RebuildStep;
import dev.factline.functions.rebuild.RebuildTarget;
import dev.factline.functions.stream.RecordProblem;
import dev.factline.functions.view.ReadModelPointers.Pointer;
import dev.factline.functions.view.ReadModelPointers.PointerMovedException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code factline-replay}: rebuilds a hosted read model from the whole event table into its own
 * version, compares two versions row for row, and moves which version queries serve. It talks to
 * DynamoDB the SDK's way (credentials, region, {@code AWS_ENDPOINT_URL}), or to the endpoint and
 * tables given, so the same commands work on the local pipeline and on AWS; with {@code --aws}, a
 * rebuild runs as an execution of the rebuild state machine, which this tool starts and follows.
 *
 * <p>Exit codes: 0 done; 1 failed (DynamoDB kept failing, or the run lost its lease: run it again
 * to resume); 2 bad input (usage, a read model or version not hosted, a table that does not
 * exist); 3 refused (another rebuild holds the run, a version not caught up, a pointer that moved
 * meanwhile, nothing to roll back to). Nothing is written when the answer is 2 or 3.
 */
@Command(name = "factline-replay", mixinStandardHelpOptions = true, version = "factline-replay 0.1.0",
        description = "Rebuild a read model from the event table, compare versions, and cut queries over to a version.",
        subcommands = {Replay.RebuildCommand.class, Replay.StatusCommand.class, Replay.DiffCommand.class, Replay.CutoverCommand.class,
                Replay.RollbackCommand.class, RedriveCommand.class},
        exitCodeOnInvalidInput = Replay.BAD_INPUT)
public final class Replay {

    @Option(names = "--read-models", defaultValue = "dev.factline.functions.view.HostedReadModels", paramLabel = "CLASS",
            description = "the read models hosted: a class on the class path that is a Supplier<ReadModels> (default ${DEFAULT-VALUE})")
    String readModels = "";

    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int REFUSED = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }


    static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Runs the tool with its output and errors on the streams given: its exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        return new CommandLine(new Replay())
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
                    commandLine.getErr().println("factline-replay: " + failure.getMessage());
                    return exitCodeOf(failure);
                })
                .execute(args);
    }

    private static int exitCodeOf(Exception failure) {
        return switch (failure) {
            case IllegalArgumentException badInput -> BAD_INPUT;
            case EventTableUnavailableException unavailable when unavailable.missing() -> BAD_INPUT;
            case RebuildRefusedException refused -> REFUSED;
            case Cutover.CutoverRefusedException refused -> REFUSED;
            case PointerMovedException moved -> REFUSED;
            default -> FAILED;
        };
    }

    /** The read models that {@code --read-models} names. */
    ReadModels hosted() {
        Object supplier;
        try {
            supplier = Class.forName(readModels).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError unusable) {
            throw new IllegalArgumentException("--read-models " + readModels + " is no class with a public no-argument constructor on the class path: "
                    + unusable, unusable);
        }
        if (!(supplier instanceof Supplier<?> models) || !(models.get() instanceof ReadModels hosted)) {
            throw new IllegalArgumentException("--read-models " + readModels + " is no Supplier<ReadModels>");
        }
        return hosted;
    }

    /** What every command has: where its output goes, where the tables are, and the hosted read models. */
    abstract static class NameCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Tables tables;

        @ParentCommand
        Replay replay;

        @Parameters(index = "0", paramLabel = "NAME", description = "the read model's name")
        String name = "";

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /** A command about one version of a read model. */
    abstract static class VersionCommand extends NameCommand {
        @Parameters(index = "1", paramLabel = "VERSION", description = "its version")
        int version;
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true, description = "Rebuild NAME at VERSION from the whole event table into its own rows, "
            + "or resume its rebuild: in this process, or on AWS by the rebuild state machine (--aws).")
    static final class RebuildCommand extends VersionCommand {

        @Option(names = "--segments", defaultValue = "4", paramLabel = "N", description = "parallel Scan segments (default ${DEFAULT-VALUE}); a rebuild resumes with the number it began with")
        int segments;

        @Option(names = "--page-size", defaultValue = "250", paramLabel = "ITEMS", description = "items a Scan page reads at most (default ${DEFAULT-VALUE})")
        int pageSize;

        @Option(names = "--max-read-units-per-second", defaultValue = "0", paramLabel = "UNITS", description = "a ceiling on the event table's read units, 0 for none (default)")
        double maxReadUnitsPerSecond;

        @Option(names = "--lease", defaultValue = "30s", paramLabel = "DURATION", converter = Durations.class,
                description = "how long a killed run keeps others out (default ${DEFAULT-VALUE})")
        Duration lease;

        @Option(names = "--progress-every", defaultValue = "1s", paramLabel = "DURATION", converter = Durations.class,
                description = "how often the progress line is printed (default ${DEFAULT-VALUE})")
        Duration progressEvery;

        @Mixin
        StateMachineOptions stateMachine;

        @Override
        public Integer call() throws Exception {
            RebuildTarget target = RebuildTarget.of(replay.hosted(), name, version);
            Rebuild.Settings settings = new Rebuild.Settings(segments, pageSize, maxReadUnitsPerSecond, lease);
            if (stateMachine.aws) {
                return onAws(target);
            }
            PrintWriter out = out();
            PrintWriter err = err();
            List<AutoCloseable> payloadClients = new ArrayList<>();
            try (DynamoDbClient dynamo = tables.client()) {
                Rebuild rebuild = new Rebuild(dynamo, tables.events(), tables.reads(), Clock.systemUTC(), owner(), tables.claims(payloadClients::add));
                long items = rebuild.approximateItems();
                RebuildProgress progress = new RebuildProgress();
                ProgressLine line = new ProgressLine(target.space(), segments, items);
                ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
                long every = Math.max(100, progressEvery.toMillis());
                printer.scheduleAtFixedRate(() -> err.println(line.text(progress.figures())), every, every, TimeUnit.MILLISECONDS);
                Rebuild.Summary summary;
                try {
                    summary = rebuild.run(target, settings, progress);
                } finally {
                    printer.shutdownNow();
                }
                if (summary.alreadyComplete()) {
                    out.println(target.space() + " was rebuilt already (" + summary.segments() + " segments); nothing to do");
                    return 0;
                }
                out.println(line.summary(summary));
                summary.problems().stream().limit(RecordProblem.MAX_LISTED).forEach(problem -> out.println("  " + describe(problem)));
                if (!summary.complete()) {
                    err.println("factline-replay: the run lost its lease to another process before it finished; run it again to resume");
                    return FAILED;
                }
                printNextStep(out, new Cutover(replay.hosted(), dynamo, tables.reads()).served(name));
                return 0;
            } finally {
                for (AutoCloseable client : payloadClients) {
                    client.close();
                }
            }
        }

        /** What to do with the rebuilt version: cut over to it, unless queries serve it already (a backfill of the served version). */
        private void printNextStep(PrintWriter out, int served) {
            if (served == version) {
                out.println(name + " " + version + " is the version queries serve: they read the rebuilt rows now");
            } else {
                out.println("next: factline-replay cutover " + name + " " + version + " (once the live projector hosts it too)");
            }
        }

        /** Starts an execution of the rebuild state machine and follows it; it goes on if this process stops. */
        private int onAws(RebuildTarget target) throws InterruptedException {
            if (maxReadUnitsPerSecond != 0) {
                throw new IllegalArgumentException("--max-read-units-per-second limits an in-process rebuild; on AWS the state machine's "
                        + "concurrency bounds the reads");
            }
            if (segments > RebuildStep.MAX_SEGMENTS) {
                throw new IllegalArgumentException("--segments is at most " + RebuildStep.MAX_SEGMENTS + " on AWS (the Map's items travel "
                        + "in the state machine's input), not " + segments);
            }
            String arn = stateMachine.arn();
            PrintWriter out = out();
            PrintWriter err = err();
            try (DynamoDbClient dynamo = tables.client(); SfnClient sfn = stateMachine.client()) {
                RebuildLedger ledger = new RebuildLedger(dynamo, tables.reads());
                if (ledger.run(target.space()).map(RebuildLedger.Run::complete).orElse(false)) {
                    out.println(target.space() + " was rebuilt already; nothing to do");
                    return 0;
                }
                ProgressLine line = new ProgressLine(target.space(), segments, new EventTableScan(dynamo, tables.events(), ClaimChecks.none()).approximateItems());
                AwsRebuild aws = new AwsRebuild(sfn, arn, ledger);
                Instant started = Instant.now();
                String execution = aws.start(target, segments, pageSize, started);
                err.println("started " + execution + " (it runs on if this command stops; `factline-replay status " + name + " " + version
                        + " --aws --state-machine ARN` finds it again)");
                List<RebuildLedger.Checkpoint> last = new ArrayList<>();
                AwsRebuild.Ending ending = aws.follow(execution, target, segments, progressEvery, checkpoints -> {
                    last.clear();
                    last.addAll(checkpoints);
                    err.println(line.text(RebuildProgress.Figures.of(checkpoints)));
                });
                if (ending.exitCode() != 0) {
                    err.println("factline-replay: the execution " + ending.executionName() + " ended " + ending.detail());
                    return ending.exitCode();
                }
                out.println(line.summary(new Rebuild.Summary(target.space(), segments, true, false, RebuildProgress.Figures.of(last), List.of(),
                        Duration.between(started, Instant.now()))) + " (execution " + ending.executionName() + ")");
                printNextStep(out, new Cutover(replay.hosted(), dynamo, tables.reads()).served(name));
                return 0;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show NAME at VERSION's rebuild and which version queries serve.")
    static final class StatusCommand extends VersionCommand {

        @Mixin
        StateMachineOptions stateMachine;

        @Override
        public Integer call() {
            RebuildTarget target = RebuildTarget.of(replay.hosted(), name, version);
            PrintWriter out = out();
            try (DynamoDbClient dynamo = tables.client()) {
                RebuildLedger ledger = new RebuildLedger(dynamo, tables.reads());
                Optional<RebuildLedger.Run> run = ledger.run(target.space());
                if (run.isEmpty()) {
                    out.println(target.space() + ": never rebuilt");
                } else {
                    RebuildLedger.Run found = run.get();
                    RebuildProgress.Figures figures = RebuildProgress.Figures.of(ledger.checkpoints(target.space(), found.segments()));
                    out.println(target.space() + ": " + found.state() + ", " + figures.segmentsDone() + "/" + found.segments() + " segments done, "
                            + String.format(Locale.ROOT, "%,d", figures.events()) + " events, started " + found.startedAt()
                            + (found.completedAt() == null ? "" : ", completed " + found.completedAt()) + ", held by " + found.owner());
                }
                if (stateMachine.aws) {
                    try (SfnClient sfn = stateMachine.client()) {
                        out.println(new AwsRebuild(sfn, stateMachine.arn(), ledger).latest(target)
                                .map(execution -> "latest execution " + execution.name() + ": " + execution.status() + ", started "
                                        + execution.startDate() + (execution.stopDate() == null ? "" : ", stopped " + execution.stopDate()))
                                .orElse("no execution of the state machine rebuilt " + target.space()));
                    }
                }
                out.println(name + " is served at version " + new Cutover(replay.hosted(), dynamo, tables.reads()).served(name));
                return 0;
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Compare NAME at VERSION with NAME at --against, row for row.")
    static final class DiffCommand extends VersionCommand {

        @Option(names = "--against", required = true, paramLabel = "VERSION", description = "the other version")
        int against;

        @Override
        public Integer call() {
            StreamView<?, ?> left = view(name, against);
            StreamView<?, ?> right = view(name, version);
            PrintWriter out = out();
            try (DynamoDbClient dynamo = tables.client()) {
                ReadModelDiff.Report report = new ReadModelDiff(dynamo, tables.reads()).compare(left, right, replay.hosted());
                out.println(ProgressLine.describe(report));
                report.examples().forEach(example -> out.println("  " + example));
                return report.identical() ? 0 : 1;
            }
        }

        private StreamView<?, ?> view(String name, int version) {
            return RebuildTarget.of(replay.hosted(), name, version).view();
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true, description = "Serve NAME at VERSION, once its rebuild is complete and it has caught up with the version served.")
    static final class CutoverCommand extends VersionCommand {

        @Option(names = "--max-lag-events", defaultValue = "0", paramLabel = "EVENTS", description = "events a stream of VERSION may be behind the version served (default ${DEFAULT-VALUE})")
        long maxLagEvents;

        @Override
        public Integer call() {
            if (maxLagEvents < 0) {
                throw new IllegalArgumentException("--max-lag-events is 0 or more, not " + maxLagEvents);
            }
            PrintWriter out = out();
            try (DynamoDbClient dynamo = tables.client()) {
                Cutover.Outcome outcome = new Cutover(replay.hosted(), dynamo, tables.reads()).cutover(name, version, maxLagEvents, Clock.systemUTC().instant());
                outcome.comparison().ifPresent(report -> out.println(ProgressLine.describe(report)));
                Pointer pointer = outcome.pointer();
                out.println(name + " is served at version " + pointer.active()
                        + (pointer.previous() == null ? "" : " (was " + pointer.previous() + "; `factline-replay rollback " + name + "` goes back)"));
                return 0;
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Serve NAME at the version it was served at before its last cutover.")
    static final class RollbackCommand extends NameCommand {

        @Override
        public Integer call() {
            try (DynamoDbClient dynamo = tables.client()) {
                Pointer pointer = new Cutover(replay.hosted(), dynamo, tables.reads()).rollback(name, Clock.systemUTC().instant());
                out().println(name + " is served at version " + pointer.active() + " again (was " + pointer.previous() + ")");
                return 0;
            }
        }
    }

    /** Who holds a run: this host and process, and a random part so that two runs of one process differ. */
    private static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String describe(RecordProblem problem) {
        return problem.kind() + (problem.streamId() == null ? "" : " " + problem.streamId()) + ": " + problem.reason();
    }

    private Replay() {
    }
}
