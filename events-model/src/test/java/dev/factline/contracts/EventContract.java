package dev.factline.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** The JSON Schema of one schema version of one event type: what a payload of that version looks like. */
record EventContract(String type, int version, ObjectNode schema) {

    EventContract {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(schema, "schema");
        if (version < 1) {
            throw new IllegalArgumentException("schema versions start at 1, but got " + version + " for " + type);
        }
    }

    /** {@code MoneyDeposited v3}: how messages and schema titles name a version. */
    static String title(String type, int version) {
        return type + " v" + version;
    }

    String title() {
        return title(type, version);
    }
}
