package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.SerializedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /accounts/{id}/events} and {@code GET /orders/{id}/events}: a stream's audit
 * history from the event store, oldest first, a page at a time ({@code after=<cursor>},
 * {@code limit=1..100}, default 50):
 *
 * <pre>
 * {"streamId": "account#a-1",
 *  "events": [{"version": 1, "eventId", "type", "schemaVersion": 3, "storedSchemaVersion": 1, "occurredAt",
 *              "data": {...}, "metadata": {"commandId", "correlationId", "causationId"}}],
 *  "next": "/accounts/a-1/events?after=...&amp;limit=50"}
 * </pre>
 *
 * {@code data} is the event in its current shape (decoded through the upcasters and encoded
 * again), so a client reads one shape per type however old the event; {@code schemaVersion} is
 * that shape's, {@code storedSchemaVersion} the one it was written at. The member is named
 * {@code data}, as in the command function's answers, so an event reads the same everywhere in
 * the API. {@code next} is there exactly when more events follow.
 *
 * <p>One consistent Query per page: the page plus one more event, to know whether another page
 * follows. A page after a cursor also reads the cursor's own event, which proves the cursor
 * points into this stream. A stream with no events is 404. The {@code ETag} is weak, derived
 * from the page's content (a short last page grows as the stream does).
 */
final class HistoryReads {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    /** Where a page starts: after the event at {@code version}, as the client's cursor {@code token} said. */
    private record After(long version, String token) {
    }

    private final EventStore events;

    HistoryReads(EventStore events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** The route of {@code aggregate}'s histories. */
    QueryRoute route(AggregateType<?, ?, ?> aggregate) {
        return input -> {
            StreamId stream = aggregate.streamId(input.pathId());
            QueryParameters parameters = QueryParameters.of(input.query(), "after", "limit");
            int limit = parameters.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
            String token = parameters.text("after");
            After after = token == null ? null : new After(position(token, Cursor.decode(listing(stream), token)), token);
            return new Query(listing(stream), trace -> read(stream, aggregate.events(), after, limit, input.path(), trace));
        };
    }

    private Representation read(StreamId stream, EventCodec<?> codec, @Nullable After after, int limit, String path, QueryTrace trace) {
        List<RecordedEvent> page;
        boolean more;
        if (after == null) {
            List<RecordedEvent> loaded = events.load(stream, 1, limit + 1L);
            if (loaded.isEmpty()) {
                throw ProblemException.of(ProblemType.NOT_FOUND, "there is no " + stream.type() + " '" + stream.id() + "': "
                        + stream + " has no events");
            }
            page = loaded.subList(0, Math.min(limit, loaded.size()));
            more = loaded.size() > limit;
        } else {
            List<RecordedEvent> loaded = events.load(stream, after.version(), after.version() + limit + 1);
            if (loaded.isEmpty() || loaded.getFirst().version() != after.version()) {
                throw Cursor.refused(after.token(), "it names version " + after.version() + ", which " + stream + " does not have");
            }
            page = loaded.subList(1, Math.min(limit + 1, loaded.size()));
            more = loaded.size() > limit + 1;
        }
        trace.readEvents();
        ObjectNode body = HttpJson.object().put("streamId", stream.toString());
        ArrayNode list = body.putArray("events");
        for (RecordedEvent event : page) {
            list.add(json(event, currentShape(codec, event)));
        }
        if (more) {
            String cursor = Cursor.encode(listing(stream), Long.toString(page.getLast().version()));
            body.put("next", path + "?after=" + cursor + "&limit=" + limit);
        }
        String json = HttpJson.write(body);
        return new Representation(json, EntityTags.weakOf(json), null);
    }

    private static ObjectNode json(RecordedEvent event, SerializedEvent current) {
        ObjectNode json = HttpJson.object()
                .put("version", event.version())
                .put("eventId", event.eventId().toString())
                .put("type", event.type())
                .put("schemaVersion", current.schemaVersion())
                .put("storedSchemaVersion", event.schemaVersion())
                .put("occurredAt", event.occurredAt().toString());
        json.putRawValue("data", new RawValue(current.payload()));
        EventMetadata metadata = event.metadata();
        json.putObject("metadata")
                .put("commandId", metadata.commandId())
                .put("correlationId", metadata.correlationId())
                .put("causationId", metadata.causationId());
        return json;
    }

    /** The event as this build writes it: decoded (upcast to the current schema) and encoded again. */
    private static <E> SerializedEvent currentShape(EventCodec<E> codec, RecordedEvent event) {
        return codec.encode(codec.decode(event));
    }

    private static String listing(StreamId stream) {
        return stream + "/events";
    }

    private static long position(String token, String position) {
        try {
            return QueryParameters.version("the cursor's position", position);
        } catch (ProblemException notAVersion) {
            throw Cursor.refused(token, "it is not one this API wrote");
        }
    }
}
