package dev.factline.functions.command;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.Commit;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.http.HttpResponses;
import dev.factline.personal.DataKeys;
import dev.factline.personal.PersonalData;
import dev.factline.personal.SealingEventStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a handled command: {@code 201} with {@code Location} when it created its stream,
 * {@code 200} otherwise, {@code ETag} the stream's version after it, and the events it recorded:
 *
 * <pre>
 * {"streamId": "account#a-1", "version": 3,
 *  "events": [{"eventId", "version", "type", "schemaVersion", "occurredAt", "data": {...}}]}
 * </pre>
 *
 * The body is a function of the commit and its events only, so a replayed answer to a repeated
 * {@code Idempotency-Key} is byte for byte the original; it adds {@code Idempotent-Replayed: true}.
 * The one exception is personal data: a replay reveals the stored, sealed events, so once their
 * subject is forgotten it shows the fields erased. An erasure ({@code DELETE}) never answers 201.
 */
final class CommandResponses {

    static final String REPLAYED = "Idempotent-Replayed";

    private CommandResponses() {
    }

    static APIGatewayV2HTTPResponse of(CommandResult result, String location, boolean mayCreate, String correlationId, DataKeys keys) {
        Commit commit = result.commit();
        boolean created = mayCreate && commit.previousVersion() == 0 && commit.eventCount() > 0;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", EntityTags.of(commit.streamVersion()));
        if (created) {
            headers.put("Location", location);
        }
        if (result.replayed()) {
            headers.put(REPLAYED, "true");
        }
        headers.put(HttpResponses.CORRELATION_ID, correlationId);
        return HttpResponses.json(created ? 201 : 200, body(result, keys), headers);
    }

    private static String body(CommandResult result, DataKeys keys) {
        ObjectNode body = HttpJson.object()
                .put("streamId", result.commit().streamId().toString())
                .put("version", result.commit().streamVersion());
        ArrayNode events = body.putArray("events");
        for (RecordedEvent event : result.events()) {
            events.addObject()
                    .put("eventId", event.eventId().toString())
                    .put("version", event.version())
                    .put("type", event.type())
                    .put("schemaVersion", event.schemaVersion())
                    .put("occurredAt", event.occurredAt().toString())
                    // The payload is the JSON the codec wrote; it goes out unparsed unless it holds sealed personal data.
                    .putRawValue("data", new RawValue(PersonalData.reveal(event.payload(), keys, SealingEventStore.describe(event))));
        }
        return HttpJson.write(body);
    }
}
