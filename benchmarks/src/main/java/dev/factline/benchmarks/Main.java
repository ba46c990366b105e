package dev.factline.benchmarks;

import dev.factline.benchmarks.calls.CallsSection;
import dev.factline.benchmarks.claims.ClaimChecksSection;
import dev.factline.benchmarks.coldstart.ColdStartSection;
import dev.factline.benchmarks.contention.ContentionSection;
import dev.factline.benchmarks.cost.CostSection;
import dev.factline.benchmarks.endtoend.EndToEndSection;
import dev.factline.benchmarks.inline.InlineSection;
import dev.factline.benchmarks.projector.ProjectorSection;
import dev.factline.benchmarks.replay.ReplaySection;
import dev.factline.benchmarks.snapshots.SnapshotsSection;
import dev.factline.benchmarks.pure.PurePathsSection;
import dev.factline.emulators.NodeServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./factline-bench [--quick] [--only ...] [--out ...]}: runs the sections in order, shows
 * progress, and writes the report. A section that fails is named in the report and makes the exit
 * status 1; the others still run.
 */
public final class Main {

    private Main() {
    }

    static List<Section> sections() {
        return List.of(new PurePathsSection(), new CallsSection(), new ProjectorSection(), new ContentionSection(), new SnapshotsSection(), new ReplaySection(), new InlineSection(),
                new ClaimChecksSection(), new EndToEndSection(), new ColdStartSection(), new CostSection());
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args));
    }

    static int run(String[] args) throws IOException {
        List<Section> sections = sections();
        Path root = NodeServer.repositoryRoot("tools/dynalite-server.js");
        Options options;
        try {
            options = Options.parse(Arrays.asList(args), sections.stream().map(Section::id).toList(), root, LocalDate.now(ZoneOffset.UTC));
        } catch (Options.UsageException e) {
            System.err.println("factline-bench: " + e.getMessage());
            System.err.println(Options.USAGE.formatted(String.join(", ", sections.stream().map(Section::id).toList())));
            return 2;
        }
        try {
            Files.createDirectories(options.output());
            if (!Files.isWritable(options.output())) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            System.err.println("factline-bench: --out " + options.output() + " cannot hold the report: " + e.getMessage());
            return 2;
        }
        Report report = new Report();
        PrintStream console = System.out;
        Bench bench = new Bench(options.mode(), root, report, console);
        long start = System.nanoTime();
        int failures = 0;
        // The functions write a JSON log line (and EMF metrics) per request and batch to standard
        // output; thousands of them would bury the progress lines, so they go nowhere while measuring.
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        try {
            for (Section section : sections) {
                if (!options.runs(section.id())) {
                    continue;
                }
                report.section(section);
                bench.enter(section);
                try {
                    section.run(bench);
                } catch (InterruptedException e) {
                    failures++;
                    bench.note("this section was interrupted; the sections after it did not run");
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception | AssertionError e) {
                    failures++;
                    bench.note("this section failed: " + e);
                    e.printStackTrace(System.err);
                }
            }
        } finally {
            System.setOut(console);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        report.writeTo(options.output(), new Report.Context(LocalDate.now(ZoneOffset.UTC).toString(), options.mode(),
                "./factline-bench " + String.join(" ", args), machine(), javaVersion(), commit(root), seconds));
        System.out.println("report: " + options.output().resolve("report.md"));
        return failures == 0 ? 0 : 1;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count and OS below still say enough
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + ManagementFactory.getOperatingSystemMXBean().getName() + " " + System.getProperty("os.version");
    }

    private static String javaVersion() {
        return System.getProperty("java.vm.name") + " " + Runtime.version();
    }

    private static String commit(Path root) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty").redirectErrorStream(true).start();
            try (InputStream out = git.getInputStream()) {
                String described = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
                return git.waitFor() == 0 ? described : "unknown (not a git checkout)";
            }
        } catch (IOException e) {
            return "unknown (no git)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
