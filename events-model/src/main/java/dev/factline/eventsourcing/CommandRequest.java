package dev.factline.eventsourcing;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One command for one stream, with what surrounds it: the metadata its events will carry, the
 * version the client pinned ({@code If-Match}), if any, and its idempotency, if any.
 */
public record CommandRequest<C>(
        StreamId streamId, C command, EventMetadata metadata, @Nullable Long pinnedVersion, @Nullable Idempotency idempotency) {

    public CommandRequest {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(metadata, "metadata");
        if (pinnedVersion != null && pinnedVersion < 0) {
            throw new IllegalArgumentException("a pinned version is 0 or more, but was " + pinnedVersion);
        }
    }

    public static <C> CommandRequest<C> of(StreamId streamId, C command, EventMetadata metadata) {
        return new CommandRequest<>(streamId, command, metadata, null, null);
    }

    /** Only act if the stream is still at {@code version}; otherwise fail without retrying. */
    public CommandRequest<C> pinnedTo(long version) {
        return new CommandRequest<>(streamId, command, metadata, version, idempotency);
    }

    public CommandRequest<C> withIdempotency(Idempotency value) {
        return new CommandRequest<>(streamId, command, metadata, pinnedVersion, value);
    }
}
