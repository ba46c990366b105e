package dev.factline.functions.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An envelope as a consumer reads it off a Kinesis record: parsed with plain Jackson, not with the
 * publisher's own code, so the tests check the format the documentation promises.
 */
record PublishedEnvelope(String streamId, long version, String eventId, String type, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PublishedEnvelope parse(byte[] data) {
        try {
            JsonNode json = JSON.readTree(new String(data, StandardCharsets.UTF_8));
            return new PublishedEnvelope(json.required("streamId").asText(), json.required("version").asLong(),
                    json.required("eventId").asText(), json.required("type").asText(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("a published record is not a JSON envelope", e);
        }
    }

    /** What identifies an event, and so a duplicate: {@code (streamId, version)}. */
    EventKey key() {
        return new EventKey(streamId, version);
    }

    record EventKey(String streamId, long version) {
        @Override
        public String toString() {
            return streamId + "@" + version;
        }
    }
}
