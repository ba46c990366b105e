/**
 * What every function on the event table's stream shares: reading a batch of change records into
 * commits, stopping a stream at its first failure, and answering Lambda with the one sequence
 * number to retry from.
 */
@NullMarked
package dev.factline.functions.stream;

import org.jspecify.annotations.NullMarked;
