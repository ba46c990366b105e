package dev.factline.eventsourcing;

import org.jspecify.annotations.Nullable;

/**
 * Why an event exists: the command that produced it, the conversation it belongs to, and the
 * event (if any) that caused that command, e.g. the {@code OrderPlaced} behind a saga's debit.
 */
public record EventMetadata(String commandId, String correlationId, @Nullable String causationId) {

    private static final int MAX_LENGTH = 128;

    public EventMetadata {
        requireToken("commandId", commandId);
        requireToken("correlationId", correlationId);
        if (causationId != null) {
            requireToken("causationId", causationId);
        }
    }

    /** A command that starts its own conversation: it correlates with itself and has no cause. */
    public static EventMetadata forCommand(String commandId) {
        return new EventMetadata(commandId, commandId, null);
    }

    private static void requireToken(String name, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(name + " must be 1-" + MAX_LENGTH + " non-blank characters, but was " + Require.quoted(value));
        }
    }
}
