/**
 * The DynamoDB adapter of the kernel's {@link dev.factline.eventsourcing.EventStore} port. One
 * table holds three kinds of item: commits (a command's events, atomically), snapshots (in the
 * stream's own partition, between two versions) and idempotency claims. See
 * {@link dev.factline.functions.store.DynamoDbEventStore} for the layout and the protocols.
 */
@NullMarked
package dev.factline.functions.store;

import org.jspecify.annotations.NullMarked;
