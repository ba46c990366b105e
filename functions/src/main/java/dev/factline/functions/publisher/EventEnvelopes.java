package dev.factline.functions.publisher;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.functions.store.PayloadClaim;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

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
 * An envelope whose payload would make it too large for a Kinesis record carries the payload's
 * claim check instead of {@code payload}, as the event table does
 * (docs/decisions/claim-checks.md):
 *
 * <pre>{@code
 * "payloadClaim":{"sha256":"9f86d0…","bytes":1048576,"uri":"s3://factline-payloads-…/payloads/sha256/9f86d0…"}
 * }</pre>
 *
 * A consumer reads the object at {@code uri} (S3 GetObject; the consumer's role needs
 * {@code s3:GetObject} on the bucket and {@code kms:Decrypt} on its key), checks that its bytes
 * have that SHA-256 digest and length, and reads them as the {@code payload}.
 *
 * <p>A payload that is not one JSON object (never written by the event codec; a damaged item) is
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
        return envelope(event, event.payload().length() + ENVELOPE_OVERHEAD, json -> {
            json.writeFieldName("payload");
            json.writeRawValue(event.payload());
        });
    }

    /**
     * The envelope of {@code event} with its payload's claim in place of the payload: for an event
     * whose envelope is too large for a record. The payload's blob is where {@code location} says.
     *
     * @throws UnpublishableEventException if the payload is not exactly one JSON object
     */
    public static byte[] encodeClaimed(RecordedEvent event, PayloadClaim claim, URI location) {
        requireObject(event);
        return envelope(event, 2 * ENVELOPE_OVERHEAD, json -> {
            json.writeObjectFieldStart("payloadClaim");
            json.writeStringField("sha256", claim.sha256());
            json.writeNumberField("bytes", claim.bytes());
            json.writeStringField("uri", location.toString());
            json.writeEndObject();
        });
    }

    /** What writes the envelope's payload member. */
    private interface PayloadMember {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] envelope(RecordedEvent event, int expectedBytes, PayloadMember payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(expectedBytes);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("eventId", event.eventId().toString());
            json.writeStringField("streamId", event.streamId().toString());
            json.writeNumberField("version", event.version());
            json.writeStringField("type", event.type());
            json.writeNumberField("schemaVersion", event.schemaVersion());
            json.writeStringField("occurredAt", event.occurredAt().toString());
            payload.write(json);
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
