package dev.factline.eventsourcing;

import java.util.UUID;

/**
 * One command a process (a saga's reaction) issues because of a stored event: to which stream,
 * under which idempotency key, because of which event. The key is derived from the cause's event
 * id, so every delivery of that event issues the same command under the same key, and the store
 * answers all but the first with the original commit.
 */
public interface ProcessStep {

    StreamId target();

    IdempotencyKey key();

    /** The id of the event this command reacts to (its causation id). */
    UUID cause();

    /** The stream the cause was recorded in. */
    StreamId causeStream();

    /**
     * What the key promises: the same key with another fingerprint is refused as a reuse. Spelled
     * out field by field (never a {@code toString}) so that it stays the same across releases.
     */
    String fingerprint();
}
