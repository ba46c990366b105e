package dev.factline.benchmarks;

import java.util.List;
import java.util.Objects;

/**
 * The data of one chart: lines of points over a shared x axis, written as {@code <file>.png}.
 * {@code logarithmic} puts both axes on log scales (stream lengths, batch sizes).
 */
public record Series(String file, String title, String xLabel, String yLabel, boolean logarithmic, List<Line> lines) {

    public record Line(String name, List<Point> points) {
        public Line {
            Objects.requireNonNull(name, "name");
            points = List.copyOf(points);
        }
    }

    public record Point(double x, double y) { }

    public Series {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        lines = List.copyOf(lines);
        if (!file.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("a chart file name is lower-case letters, digits and dashes, not " + file);
        }
    }
}
