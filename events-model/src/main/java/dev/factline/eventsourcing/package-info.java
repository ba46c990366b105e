/**
 * The event-sourcing kernel: stream ids and event envelopes, the decider contract, the event
 * codec with schema versions and upcasters, the {@link dev.factline.eventsourcing.EventStore}
 * port with an in-memory store, and the command handler that ties them together.
 *
 * <p>Nothing here knows AWS; adapters (DynamoDB, Redis, Kinesis) live in {@code functions}.
 */
@NullMarked
package dev.factline.eventsourcing;

import org.jspecify.annotations.NullMarked;
