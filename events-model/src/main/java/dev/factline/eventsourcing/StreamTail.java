package dev.factline.eventsourcing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a loader reads to rebuild a stream: the newest usable snapshot, if there is one, and
 * the events after it in version order (all of them, from version 1, when there is none).
 */
public record StreamTail(@Nullable Snapshot snapshot, List<RecordedEvent> events) {

    public StreamTail {
        events = List.copyOf(events);
    }
}
