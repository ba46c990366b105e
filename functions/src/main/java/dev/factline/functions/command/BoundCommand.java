package dev.factline.functions.command;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.StreamId;
import dev.factline.functions.domain.CommandHandlers;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A command read from a request, bound to its stream of its aggregate type, with the path of the
 * resource it acts on (the {@code Location} of a stream it creates).
 */
public record BoundCommand<C>(AggregateType<C, ?, ?> type, StreamId streamId, C command, String location) {

    public BoundCommand {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(location, "location");
        type.requireOwnStream(streamId);
    }

    CommandResult handle(CommandHandlers handlers, EventMetadata metadata, @Nullable Long pinnedVersion, @Nullable Idempotency idempotency) {
        return handlers.of(type).handle(new CommandRequest<>(streamId, command, metadata, pinnedVersion, idempotency));
    }
}
