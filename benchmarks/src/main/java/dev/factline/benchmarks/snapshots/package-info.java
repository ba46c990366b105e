/**
 * The snapshot effect: how long a cold load of an account takes as its stream grows, with and
 * without snapshots, on dynalite through the DynamoDB event store and the kernel's repository.
 */
@NullMarked
package dev.factline.benchmarks.snapshots;

import org.jspecify.annotations.NullMarked;
