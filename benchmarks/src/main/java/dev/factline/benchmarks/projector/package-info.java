/**
 * The projector's batching: read-table writes and Redis round trips per batch, and the
 * throughput of batched against per-event projection, on dynalite and a real Redis with records
 * read from the event table's stream.
 */
@NullMarked
package dev.factline.benchmarks.projector;

import org.jspecify.annotations.NullMarked;
