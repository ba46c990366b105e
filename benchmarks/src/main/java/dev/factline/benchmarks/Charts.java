package dev.factline.benchmarks;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link Series} as a line chart with JFreeChart, headless, into a PNG file. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    private Charts() {
    }

    static void writePng(Series series, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series.Line line : series.lines()) {
            XYSeries xy = new XYSeries(line.name(), false, true);
            for (Series.Point point : line.points()) {
                xy.add(point.x(), point.y());
            }
            data.addSeries(xy);
        }
        NumberAxis x = series.logarithmic() ? logAxis(series.xLabel()) : new NumberAxis(series.xLabel());
        NumberAxis y = series.logarithmic() ? logAxis(series.yLabel()) : new NumberAxis(series.yLabel());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.lines().size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        JFreeChart chart = new JFreeChart(series.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static NumberAxis logAxis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setAllowNegativesFlag(false);
        axis.setStrictValuesFlag(false);
        return axis;
    }
}
