package dev.factline.functions.domain;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.InlineModels;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.Uniqueness;
import dev.factline.functions.domain.Declarations.CommandPath;
import dev.factline.functions.domain.Declarations.ReadPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The domains a deployment hosts, declared: every aggregate, command route, read route, read model
 * and reaction of each, in registration order. Two domains may not claim the same stream type or
 * path: the set is refused when it is built, naming what is claimed twice.
 */
public final class Domains {

    /** Where the streams of every hosted type are searched ({@link ReadRoute.Streams}). */
    public static final String STREAMS_PATH = "/streams";

    private final List<AggregateType<?, ?, ?>> aggregates;
    private final List<CommandPath> commandRoutes;
    private final List<ReadPath> readRoutes;
    private final ReadModels readModels;
    private final List<Reaction.Factory> reactions;
    private final Map<String, List<Uniqueness<?>>> uniques;

    private Domains(Declarations declared) {
        this.aggregates = List.copyOf(declared.aggregates);
        // Before the read models: a type declared twice would otherwise be reported as its catalogue declared twice.
        requireUnique(aggregates.stream().map(AggregateType::streamType).toList(), "stream type");
        this.commandRoutes = List.copyOf(declared.commands);
        List<ReadPath> reads = new ArrayList<>(declared.reads);
        if (!declared.catalogues.isEmpty()) {
            reads.add(new ReadPath(STREAMS_PATH, new ReadRoute.Streams(declared.catalogues, declared.resources)));
        }
        this.readRoutes = List.copyOf(reads);
        this.readModels = new ReadModels(declared.readModels);
        this.reactions = List.copyOf(declared.reactions);
        this.uniques = Map.copyOf(declared.uniques);
        requireUnique(commandRoutes.stream().map(route -> "POST " + route.path()).toList(), "route");
        requireUnique(readRoutes.stream().map(route -> "GET " + route.path()).toList(), "route");
    }

    public static Domains of(Domain... domains) {
        Declarations declared = new Declarations();
        for (Domain domain : domains) {
            domain.declare(declared);
        }
        return new Domains(declared);
    }

    public List<AggregateType<?, ?, ?>> aggregates() {
        return aggregates;
    }

    public List<CommandPath> commandRoutes() {
        return commandRoutes;
    }

    public List<ReadPath> readRoutes() {
        return readRoutes;
    }

    public ReadModels readModels() {
        return readModels;
    }

    public List<Reaction.Factory> reactions() {
        return reactions;
    }

    /** What {@code type}'s commits write themselves: its inline read models and its unique values. */
    @SuppressWarnings("unchecked") // declared through unique(type, Uniqueness<E>), so each of type's folds its events, E
    public <E> InlineModels<E> inlineModels(AggregateType<?, E, ?> type) {
        List<Uniqueness<E>> ofType = new ArrayList<>();
        uniques.getOrDefault(type.streamType(), List.of()).forEach(uniqueness -> ofType.add((Uniqueness<E>) uniqueness));
        return new InlineModels<>(readModels.inline(type), ofType);
    }

    private static void requireUnique(List<String> names, String what) {
        Map<String, Integer> seen = new HashMap<>();
        for (String name : names) {
            if (seen.merge(name, 1, Integer::sum) > 1) {
                throw new IllegalArgumentException(what + " " + name + " is declared twice");
            }
        }
    }
}
