package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.Objects;

/**
 * What a decision may know beyond the command and the state: the stream it decides for and the
 * instant of the decision. Deciders read time here, never from the system clock, so a decision
 * replays identically in tests.
 */
public record DecisionContext(StreamId streamId, Instant now) {

    public DecisionContext {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(now, "now");
    }
}
