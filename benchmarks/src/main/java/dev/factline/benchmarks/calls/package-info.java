/**
 * DynamoDB calls per command, counted by an SDK interceptor on dynalite through the real write
 * path: the kernel's command handler on the DynamoDB event store, and the HTTP command function.
 */
@NullMarked
package dev.factline.benchmarks.calls;

import org.jspecify.annotations.NullMarked;
