package dev.factline.functions.domain;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.EventStore;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Warnings;
import dev.factline.eventsourcing.WritePolicy;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** One kernel {@link CommandHandler} per registered aggregate type, all on one store: what the command and saga functions run commands with. */
public final class CommandHandlers {

    private final Map<String, CommandHandler<?, ?, ?>> byStreamType;

    private CommandHandlers(Map<String, CommandHandler<?, ?, ?>> byStreamType) {
        this.byStreamType = Map.copyOf(byStreamType);
    }

    /**
     * A handler per aggregate type {@code domains} host, each writing its type's inline models in its commits.
     *
     * @param warnings where a snapshot not saved or ignored is reported (the function's log)
     */
    public static CommandHandlers of(Domains domains, EventStore store, InstantSource clock, IdGenerator ids, WritePolicy policy,
            Warnings warnings) {
        Map<String, CommandHandler<?, ?, ?>> handlers = new LinkedHashMap<>();
        domains.aggregates().forEach(type -> handlers.put(type.streamType(), handler(type, domains, store, clock, ids, policy, warnings)));
        return new CommandHandlers(handlers);
    }

    private static <C, E, S> CommandHandler<C, E, S> handler(AggregateType<C, E, S> type, Domains domains, EventStore store, InstantSource clock,
            IdGenerator ids, WritePolicy policy, Warnings warnings) {
        return new CommandHandler<>(type, domains.inlineModels(type), store, clock, ids, policy, warnings);
    }

    /** The handler of {@code type}'s commands; a type that is not registered is a programming error. */
    @SuppressWarnings("unchecked") // keyed by the type's stream type, and each handler was built for that very type
    public <C, E, S> CommandHandler<C, E, S> of(AggregateType<C, E, S> type) {
        CommandHandler<?, ?, ?> handler = byStreamType.get(type.streamType());
        if (handler == null) {
            throw new IllegalArgumentException("no aggregate of stream type " + type.streamType() + " is registered");
        }
        return (CommandHandler<C, E, S>) handler;
    }
}
