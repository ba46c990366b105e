package dev.factline.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a running section is given: the mode, the repository root (for the emulators' launchers and
 * the functions' jar), the report to add to, and a progress line printer (so a long run shows
 * where it is).
 */
public final class Bench {

    private final Mode mode;
    private final Path repositoryRoot;
    private final Report report;
    private final PrintStream progress;
    private final long startNanos = System.nanoTime();
    private String section = "";

    public Bench(Mode mode, Path repositoryRoot, Report report, PrintStream progress) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.repositoryRoot = Objects.requireNonNull(repositoryRoot, "repositoryRoot");
        this.report = Objects.requireNonNull(report, "report");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    public Mode mode() {
        return mode;
    }

    public Path repositoryRoot() {
        return repositoryRoot;
    }

    void enter(Section next) {
        section = next.id();
        progress("%s", next.title());
    }

    /** Prints one progress line, prefixed with the time since the run began and the section. */
    public void progress(String format, Object... arguments) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        progress.printf("[%2d:%02d %s] %s%n", elapsed.toMinutes(), elapsed.toSecondsPart(), section, format.formatted(arguments));
        progress.flush();
    }

    /** Adds the median of {@code runs} as a figure of the current section. */
    public Figure figure(String name, String unit, List<Double> runs, String method, @Nullable Limit limit) {
        Figure figure = Figure.median(section, name, unit, runs, method, limit);
        report.add(figure);
        progress("%s: %s %s", name, Report.format(figure.value()), unit);
        return figure;
    }

    /** Adds the {@code percentile} of {@code samples} (latencies, lags) as a figure of the current section. */
    public Figure percentile(String name, String unit, double percentile, List<Double> samples, String method, @Nullable Limit limit) {
        Figure figure = new Figure(section, name, Stats.percentile(samples, percentile), unit, samples, method, limit);
        report.add(figure);
        progress("%s: %s %s", name, Report.format(figure.value()), unit);
        return figure;
    }

    /** Adds a count (one exact value) as a figure of the current section. */
    public Figure count(String name, String unit, double value, String method, @Nullable Limit limit) {
        return figure(name, unit, List.of(value), method, limit);
    }

    public void chart(Series series) {
        report.add(series, section);
    }

    /** A sentence the report prints under the section's table: a condition, a caveat, a choice made. */
    public void note(String text) {
        report.note(section, text);
    }
}
