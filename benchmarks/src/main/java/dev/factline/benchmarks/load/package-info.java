/**
 * The load generator: closed-loop HTTP clients that drive any Factline base URL with a mix of
 * commands and reads and report throughput and latency percentiles ({@code samples/load.sh}, and
 * the end-to-end benchmark).
 */
@NullMarked
package dev.factline.benchmarks.load;

import org.jspecify.annotations.NullMarked;
