package dev.factline.functions.command;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.CommandHandler;
import java.util.Objects;

/**
 * The streams of one aggregate type as HTTP resources: {@code account#a-1} is {@code /accounts/a-1}.
 * Binds the commands read at its routes to the aggregate's handler.
 */
record StreamResources<C>(String path, AggregateType<C, ?, ?> type, CommandHandler<C, ?, ?> handler) {

    StreamResources {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
    }

    BoundCommand<C> bind(String id, C command) {
        return new BoundCommand<>(handler, type.streamId(id), command, path + "/" + id);
    }
}
