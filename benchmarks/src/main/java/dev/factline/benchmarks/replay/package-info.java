/**
 * Rebuilds measured: the rebuild engine's events/s on dynalite at several segment counts against
 * the live projector's over the same history, what a rebuild reads and writes per event, and what
 * that would cost and take on AWS for 100 M and 1 B events.
 */
@NullMarked
package dev.factline.benchmarks.replay;

import org.jspecify.annotations.NullMarked;
