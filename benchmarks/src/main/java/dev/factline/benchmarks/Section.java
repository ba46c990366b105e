package dev.factline.benchmarks;

/** One part of the benchmark set: measures, then adds its figures, charts and notes to the run's report. */
public interface Section {

    /** A short id for {@code --only} and the report, e.g. {@code pure}. */
    String id();

    /** The heading in the report. */
    String title();

    void run(Bench bench) throws Exception;
}
