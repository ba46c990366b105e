package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.Objects;

/**
 * What a decision may know beyond the command and the state: the stream it decides for, the
 * instant of the decision, and where new ids come from. Deciders read time and ids here, never
 * from the system clock or {@code UUID.randomUUID()}, so a decision replays identically in tests.
 */
public record DecisionContext(StreamId streamId, Instant now, IdGenerator ids) {

    public DecisionContext {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(ids, "ids");
    }
}
