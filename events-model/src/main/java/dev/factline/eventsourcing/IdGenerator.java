package dev.factline.eventsourcing;

import java.util.UUID;

/** Where event ids come from; injected so tests can make them predictable. */
@FunctionalInterface
public interface IdGenerator {

    UUID next();

    static IdGenerator random() {
        return UUID::randomUUID;
    }
}
