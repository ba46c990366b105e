package dev.factline.eventsourcing;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one stored payload shape of an event type into the next: schema version n into n + 1.
 * A codec chains them, so a reader only ever sees the current shape and old events are never
 * rewritten. An upcaster may change the node it is given and return it.
 */
@FunctionalInterface
public interface Upcaster {

    ObjectNode upcast(ObjectNode payload);
}
