package dev.factline.eventsourcing;

import org.jspecify.annotations.Nullable;

/** The argument checks several kernel types share, worded once. */
final class Require {

    private Require() {
    }

    static int schemaVersion(int schemaVersion) {
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schema versions start at 1, but got " + schemaVersion);
        }
        return schemaVersion;
    }

    /** {@code 'value'}, or {@code null}, for messages that show what was refused. */
    static String quoted(@Nullable Object value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
