package dev.factline.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run measured, written as {@code report.md} (for a person), {@code report.json}
 * (for tools and the next run's comparison) and one PNG per {@link Series}.
 */
public final class Report {

    /** Where and how the run happened: printed at the top of both files. */
    public record Context(String date, Mode mode, String command, String machine, String java, String commit,
            long durationSeconds) { }

    private final Map<String, String> sectionTitles = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Series> charts = new ArrayList<>();
    private final Map<String, String> chartSections = new LinkedHashMap<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();

    synchronized void section(Section section) {
        sectionTitles.put(section.id(), section.title());
    }

    synchronized void add(Figure figure) {
        figures.add(figure);
    }

    /** A chart, shown in the report under {@code section}. */
    synchronized void add(Series series, String section) {
        charts.add(series);
        chartSections.put(series.file(), section);
    }

    synchronized void note(String section, String text) {
        notes.computeIfAbsent(section, key -> new ArrayList<>()).add(text);
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    /**
     * The figure furthest short of its limit, or nearest to it when all meet theirs; a count that
     * meets its floor exactly is left out, since it cannot do better, and so is a figure of 0 against
     * an "at most" limit (its attainment is infinite: it meets the limit by as far as a figure can).
     */
    public synchronized Optional<Figure> weakest() {
        return figures.stream()
                .filter(figure -> figure.limit() != null && Double.isFinite(figure.attainment())
                        && !(figure.limit().floor() && figure.attainment() >= 1))
                .min(Comparator.comparingDouble(Figure::attainment));
    }

    /** How many figures are compared with a floor, and how many of them meet it. */
    private String floorsMet() {
        List<Figure> floors = figures.stream().filter(figure -> figure.limit() != null && figure.limit().floor()).toList();
        long met = floors.stream().filter(figure -> figure.attainment() >= 1).count();
        return met + " of " + floors.size() + " counts meet their floor";
    }

    /**
     * Writes the charts, report.md and report.json into {@code directory} (created if missing). A
     * chart that cannot be drawn is named in the report instead; the figures are never lost to it.
     */
    public synchronized void writeTo(Path directory, Context context) throws IOException {
        Files.createDirectories(directory);
        for (Series series : List.copyOf(charts)) {
            try {
                Charts.writePng(series, directory.resolve(series.file() + ".png"));
            } catch (IOException | RuntimeException | LinkageError e) {
                charts.remove(series);
                note(chartSections.getOrDefault(series.file(), ""), "the chart " + series.file() + " could not be drawn: " + e);
            }
        }
        Files.writeString(directory.resolve("report.md"), markdown(context));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("context", context);
        json.put("sections", sectionTitles);
        json.put("figures", figures);
        json.put("charts", charts);
        json.put("notes", notes);
        json.put("weakest", weakest().orElse(null));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(directory.resolve("report.json").toFile(), json);
    }

    String markdown(Context context) {
        StringBuilder md = new StringBuilder();
        md.append("# Factline benchmarks, ").append(context.date()).append("\n\n");
        md.append("- command: `").append(context.command()).append("` (").append(context.mode().name().toLowerCase(Locale.ROOT))
                .append(" mode, ").append(context.durationSeconds()).append(" s)\n");
        md.append("- machine: ").append(context.machine()).append("\n");
        md.append("- java: ").append(context.java()).append("\n");
        md.append("- commit: ").append(context.commit()).append("\n\n");
        md.append("Each figure is the median of its runs, or the named percentile of its samples (n, and the spread min-max, beside it); "
                + "counts are exact. "
                + "\"vs limit\" is the figure over its goal or limit when higher is better, the limit over the figure when lower is: "
                + "1.00 or more meets it; \"met (0)\" is a figure of 0 against a limit it must stay under.\n\n");
        md.append("**Floors:** ").append(floorsMet()).append(".\n\n");
        weakest().ifPresent(figure -> md.append("**Weakest against its limit:** ").append(figure.name()).append(" (")
                .append(figure.section()).append("): ").append(format(figure.value())).append(' ').append(figure.unit())
                .append(" against ").append(figure.limit().what()).append(", ").append(String.format(Locale.ROOT, "%.2f", figure.attainment()))
                .append(" of it.\n\n"));
        sectionTitles.forEach((id, title) -> {
            md.append("## ").append(title).append("\n\n");
            List<Figure> ofSection = figures.stream().filter(figure -> figure.section().equals(id)).toList();
            if (!ofSection.isEmpty()) {
                md.append("| figure | value | unit | runs or samples | limit | vs limit | how measured |\n");
                md.append("|---|---:|---|---|---|---:|---|\n");
                for (Figure figure : ofSection) {
                    md.append("| ").append(figure.name())
                            .append(" | ").append(format(figure.value()))
                            .append(" | ").append(figure.unit())
                            .append(" | ").append(spread(figure.runs()))
                            .append(" | ").append(figure.limit() == null ? "" : figure.limit().what())
                            .append(" | ").append(vsLimit(figure))
                            .append(" | ").append(figure.method().replace("|", "\\|"))
                            .append(" |\n");
                }
                md.append('\n');
            }
            for (Series series : charts) {
                if (id.equals(chartSections.get(series.file()))) {
                    md.append("![").append(series.title()).append("](").append(series.file()).append(".png)\n\n");
                }
            }
            for (String note : notes.getOrDefault(id, List.of())) {
                md.append("- ").append(note).append('\n');
            }
            md.append('\n');
        });
        return md.toString();
    }

    /**
     * The "vs limit" cell: empty without a limit, the attainment to two decimals, or "met (0)" for a
     * figure of 0 against a limit it must stay under, whose ratio (limit / 0) is no number to print.
     */
    private static String vsLimit(Figure figure) {
        if (figure.limit() == null) {
            return "";
        }
        double attainment = figure.attainment();
        return Double.isInfinite(attainment) ? "met (0)" : String.format(Locale.ROOT, "%.2f", attainment);
    }

    private static String spread(List<Double> runs) {
        if (runs.size() == 1) {
            return "exact";
        }
        double min = runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = runs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return "n=" + runs.size() + ", " + format(min) + "-" + format(max);
    }

    /** Three significant digits, thousands grouped: 1,234,000 / 12.3 / 0.105. */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1000 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
