package dev.factline.functions.command;

import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.StreamId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A command read from a request, bound to its stream and to the handler of its aggregate type,
 * with the path of the resource it acts on (the {@code Location} of a stream it creates).
 */
record BoundCommand<C>(CommandHandler<C, ?, ?> handler, StreamId streamId, C command, String location) {

    BoundCommand {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(location, "location");
    }

    CommandResult handle(EventMetadata metadata, @Nullable Long pinnedVersion, @Nullable Idempotency idempotency) {
        return handler.handle(new CommandRequest<>(streamId, command, metadata, pinnedVersion, idempotency));
    }
}
