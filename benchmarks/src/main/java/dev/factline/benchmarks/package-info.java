/**
 * The benchmark harness: {@link dev.factline.benchmarks.Main} runs each {@link dev.factline.benchmarks.Section}
 * in turn, each adds {@link dev.factline.benchmarks.Figure}s and {@link dev.factline.benchmarks.Series} to one
 * {@link dev.factline.benchmarks.Report}, which is written as Markdown, JSON and PNG charts.
 */
@NullMarked
package dev.factline.benchmarks;

import org.jspecify.annotations.NullMarked;
