/**
 * Inline read models measured against asynchronous ones: DynamoDB calls, write units and latency
 * per command through the kernel's command handler on dynalite, and whether a read right after
 * the answer shows the command.
 */
@NullMarked
package dev.factline.benchmarks.inline;

import org.jspecify.annotations.NullMarked;
