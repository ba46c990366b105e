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

    private static final int MAX_QUOTED = 100;

    /**
     * {@code 'value'}, or {@code null}, for messages that show what was refused; a long value is
     * cut, so a message never echoes a megabyte back to whoever sent it.
     */
    static String quoted(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        return text.length() <= MAX_QUOTED
                ? "'" + text + "'"
                : "'" + text.substring(0, MAX_QUOTED) + "...' (" + text.length() + " characters)";
    }
}
