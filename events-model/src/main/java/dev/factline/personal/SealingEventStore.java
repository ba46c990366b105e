package dev.factline.personal;

import dev.factline.eventsourcing.AppendResult;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.ForwardingEventStore;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.InlineWrite;
import dev.factline.eventsourcing.NewEvent;
import dev.factline.eventsourcing.PersonalFields;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event store that seals the declared personal fields of every event it appends, before the
 * store below sees them: whatever writes through it (the command function, the saga) stores only
 * sealed text. Reads pass through sealed; readers reveal at their edge ({@link PersonalData#reveal}).
 *
 * <p>An append answers with the events as they were decided (their plain payloads), which the
 * writer already holds, so answering needs no key; an idempotent replay answers with the stored,
 * sealed events, which the writer reveals like any reader (erased once the subject is forgotten).
 */
public final class SealingEventStore extends ForwardingEventStore {

    private final Map<String, PersonalFields> personal;
    private final DataKeys keys;

    /** Sealing the personal fields that {@code codecs} declare (event type names are unique across them). */
    public SealingEventStore(EventStore store, List<? extends EventCodec<?>> codecs, DataKeys keys) {
        super(store);
        this.keys = Objects.requireNonNull(keys, "keys");
        Map<String, PersonalFields> declared = new HashMap<>();
        codecs.forEach(codec -> codec.personalFields().forEach((type, fields) -> {
            if (declared.putIfAbsent(type, fields) != null) {
                throw new IllegalArgumentException("two codecs declare personal fields of the event type " + type);
            }
        }));
        this.personal = Map.copyOf(declared);
    }

    @Override
    public AppendResult append(StreamId streamId, long expectedVersion, List<NewEvent> events, @Nullable Idempotency idempotency,
            List<InlineWrite> inline) {
        List<NewEvent> sealed = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            PersonalFields fields = personal.get(event.type());
            sealed.add(fields == null ? event : new NewEvent(event.eventId(), event.type(), event.schemaVersion(), event.occurredAt(),
                    PersonalData.seal(event.payload(), fields, keys), event.metadata()));
        }
        return switch (delegate().append(streamId, expectedVersion, sealed, idempotency, inline)) {
            case AppendResult.Appended(var commit, List<RecordedEvent> recorded) -> {
                List<RecordedEvent> plain = new ArrayList<>(recorded.size());
                for (int i = 0; i < recorded.size(); i++) {
                    plain.add(withPayload(recorded.get(i), events.get(i).payload()));
                }
                yield new AppendResult.Appended(commit, plain);
            }
            case AppendResult.AlreadyCommitted replayed -> replayed;
        };
    }

    /** How a tampered value names its event. */
    public static String describe(RecordedEvent event) {
        return "event " + event.type() + " at " + event.streamId() + " version " + event.version();
    }

    private static RecordedEvent withPayload(RecordedEvent event, String payload) {
        return new RecordedEvent(event.eventId(), event.streamId(), event.version(), event.type(), event.schemaVersion(),
                event.occurredAt(), payload, event.metadata());
    }
}
