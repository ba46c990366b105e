package dev.factline.functions.command;

import dev.factline.eventsourcing.AggregateType;
import java.util.Objects;

/**
 * The streams of one aggregate type as HTTP resources: {@code account#a-1} is {@code /accounts/a-1}.
 * Binds the commands read at a domain's routes to their streams.
 */
public record StreamResources<C>(String path, AggregateType<C, ?, ?> type) {

    public StreamResources {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
    }

    public BoundCommand<C> bind(String id, C command) {
        return new BoundCommand<>(type, type.streamId(id), command, path + "/" + id);
    }
}
