package dev.factline.functions.publisher;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The published form of an event: one JSON object per Kinesis record, UTF-8, partition key =
 * the stream id.
 *
 * <pre>{@code
 * {"eventId":"5f0c…","streamId":"account#a-42","version":3,"type":"MoneyDeposited","schemaVersion":3,
 *  "occurredAt":"2026-03-01T10:00:00Z","payload":{"amount":{"minorUnits":1250,"currency":"EUR"},"reference":null},
 *  "metadata":{"commandId":"req-1","correlationId":"req-1","causationId":null}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code eventId}: the event's UUID; {@code streamId}: {@code <type>#<id>};
 *       {@code version}: its 1-based, gap-free place in the stream. {@code (streamId, version)}
 *       identifies an event: a consumer recognises a duplicate by it (see {@link PublisherFunction}).
 *   <li>{@code type} and {@code schemaVersion}: the payload's type name and the shape it was
 *       written in. Payloads are published as stored, never upcast: a consumer decodes them with
 *       the event codec (and its upcasters) as any reader of the store does.
 *   <li>{@code occurredAt}: ISO-8601 UTC, as stored.
 *   <li>{@code payload}: the stored payload as a JSON object (not a string holding JSON), byte for
 *       byte as stored, so decimals keep every digit.
 *   <li>{@code metadata}: {@code commandId}, {@code correlationId}, and {@code causationId}, which
 *       is {@code null} when no event caused the command; every member is always present, so a
 *       strict reader that fails on missing properties reads every envelope.
 * </ul>
 *
 * A payload that is not one JSON object (never written by the event codec; a damaged item) is
 * refused with {@link UnpublishableEventException} rather than published as something consumers
 * cannot read.
 */
public final class EventEnvelopes {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** A small envelope's bytes beyond its payload; the buffer starts big enough for most. */
    private static final int ENVELOPE_OVERHEAD = 384;

    private EventEnvelopes() {
    }

    /**
     * The envelope of {@code event} as UTF-8 JSON.
     *
     * @throws UnpublishableEventException if the payload is not exactly one JSON object
     */
    public static byte[] encode(RecordedEvent event) {
        requireObject(event);
        ByteArrayOutputStream out = new ByteArrayOutputStream(event.payload().length() + ENVELOPE_OVERHEAD);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("eventId", event.eventId().toString());
            json.writeStringField("streamId", event.streamId().toString());
            json.writeNumberField("version", event.version());
            json.writeStringField("type", event.type());
            json.writeNumberField("schemaVersion", event.schemaVersion());
            json.writeStringField("occurredAt", event.occurredAt().toString());
            json.writeFieldName("payload");
            json.writeRawValue(event.payload());
            EventMetadata metadata = event.metadata();
            json.writeObjectFieldStart("metadata");
            json.writeStringField("commandId", metadata.commandId());
            json.writeStringField("correlationId", metadata.correlationId());
            json.writeStringField("causationId", metadata.causationId());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the envelope of " + describe(event), e);
        }
        return out.toByteArray();
    }

    /** The payload is written raw, so it is read through once here: one object, nothing after it. */
    private static void requireObject(RecordedEvent event) {
        try (JsonParser parser = JSON.createParser(event.payload())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UnpublishableEventException(describe(event) + " has a payload that is not a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new UnpublishableEventException(describe(event) + " has a payload with more after its JSON object");
            }
        } catch (JsonProcessingException malformed) {
            throw new UnpublishableEventException(describe(event) + " has a payload that is not valid JSON: "
                    + malformed.getOriginalMessage(), malformed);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the payload of " + describe(event), e);
        }
    }

    static String describe(RecordedEvent event) {
        return event.type() + " " + event.eventId() + " at " + event.streamId() + " v" + event.version();
    }
}
