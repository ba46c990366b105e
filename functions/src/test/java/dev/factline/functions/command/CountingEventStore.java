package dev.factline.functions.command;

import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.ForwardingEventStore;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.InlineWrite;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.StreamId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Counts the appends that reach the store it wraps, whether they succeed or not. */
class CountingEventStore extends ForwardingEventStore {

    private final AtomicInteger appends = new AtomicInteger();

    CountingEventStore(EventStore delegate) {
        super(delegate);
    }

    @Override
    public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
                        List<InlineWrite> inline) {
        appends.incrementAndGet();
        return super.append(streamId, expectedVersion, events, idempotency, inline);
    }

    int appends() {
        return appends.get();
    }

    void resetCount() {
        appends.set(0);
    }
}
