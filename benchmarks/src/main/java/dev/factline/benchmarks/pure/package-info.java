/**
 * The pure paths of events-model, timed by JMH on one thread: a command decided and encoded as
 * the write path does it, an old event decoded, upcast and folded as the projector does it, and
 * the codec's round trip.
 */
@NullMarked
package dev.factline.benchmarks.pure;

import org.jspecify.annotations.NullMarked;
