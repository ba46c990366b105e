package dev.factline.eventsourcing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Encodes an aggregate's state for snapshots, tagged with the state's schema version. Bump the
 * version whenever the state's shape or meaning changes: stored snapshots of other versions are
 * then ignored and streams replayed, so no state migration is ever needed.
 */
public final class StateCodec<S> {

    private final int schemaVersion;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public StateCodec(Class<S> stateType, int schemaVersion) {
        this.schemaVersion = Require.schemaVersion(schemaVersion);
        ObjectMapper mapper = Json.strictMapper();
        this.reader = mapper.readerFor(stateType);
        this.writer = mapper.writerFor(stateType);
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public String encode(S state) {
        try {
            return writer.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode state for a snapshot: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if the JSON is not a state of this schema version */
    public S decode(String json) {
        S state;
        try {
            state = reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("snapshot state does not decode at schema v" + schemaVersion + ": " + e.getOriginalMessage(), e);
        }
        if (state == null) {
            throw new IllegalArgumentException("snapshot state is JSON null");
        }
        return state;
    }
}
