package dev.factline.functions.domain;

import dev.factline.eventsourcing.AggregateType;
import dev.factline.eventsourcing.ReadModel;
import dev.factline.eventsourcing.StreamEntry;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import dev.factline.eventsourcing.Uniqueness;
import dev.factline.functions.command.CommandRoute;
import dev.factline.functions.command.StreamResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Domain} says of itself, collected for {@link Domains}. Paths are API Gateway's
 * route paths ({@code /accounts/{id}/deposits}); the path parameter, where there is one, is {@code {id}}.
 */
public final class Declarations {

    /** A command route: POST at {@code path}. */
    public record CommandPath(String path, CommandRoute route) {
    }

    /** A read route: GET (and HEAD) at {@code path}. */
    public record ReadPath(String path, ReadRoute route) {
    }

    final List<AggregateType<?, ?, ?>> aggregates = new ArrayList<>();
    final List<StreamView<?, StreamEntry>> catalogues = new ArrayList<>();
    /** Each hosted stream type's resource path ({@code account} at {@code /accounts}). */
    final Map<String, String> resources = new LinkedHashMap<>();
    final List<CommandPath> commands = new ArrayList<>();
    final List<ReadPath> reads = new ArrayList<>();
    final List<ReadModel> readModels = new ArrayList<>();
    final List<Reaction.Factory> reactions = new ArrayList<>();
    final Map<String, List<Uniqueness<?>>> uniques = new LinkedHashMap<>();

    Declarations() {
    }

    /**
     * Hosts {@code type}'s streams as resources under {@code path} ({@code account#a-1} is
     * {@code /accounts/a-1}), with their history at {@code path/{id}/events} and their
     * {@link StreamEntry#catalogue catalogue} in {@code GET /streams}. Commands read at this
     * domain's routes are bound to streams through what it returns.
     */
    public <C> StreamResources<C> aggregate(String path, AggregateType<C, ?, ?> type) {
        aggregates.add(type);
        StreamView<?, StreamEntry> catalogue = StreamEntry.catalogue(type);
        catalogues.add(catalogue);
        resources.put(type.streamType(), path);
        host(catalogue);
        reads.add(new ReadPath(path + "/{id}/events", new ReadRoute.History(type)));
        return new StreamResources<>(path, type);
    }

    public Declarations command(String path, CommandRoute route) {
        commands.add(new CommandPath(path, route));
        return this;
    }

    /**
     * Hosts {@code model} and serves a stream's view at {@code path}, which ends in {@code {id}}. A
     * model {@link StreamView#writtenInline() written inline} is kept by the command side, in each
     * commit, instead of the projector.
     */
    public Declarations view(String path, StreamView<?, ?> model) {
        host(model);
        reads.add(new ReadPath(path, new ReadRoute.View(model)));
        return this;
    }

    /** Serves the views {@code model} lists under the path's {@code {id}} (its listing), hosting the model if not yet. */
    public Declarations listing(String path, StreamView<?, ?> model, String ownerField, String itemsField) {
        host(model);
        reads.add(new ReadPath(path, new ReadRoute.ListingOf(model, ownerField, itemsField)));
        return this;
    }

    /** Hosts {@code tally} and serves its summary at {@code path}. */
    public Declarations tally(String path, Tally<?> tally) {
        host(tally);
        reads.add(new ReadPath(path, new ReadRoute.TallyOf(tally)));
        return this;
    }

    /** Hosts a read model no route serves (yet): the projector keeps it and the rebuild tool can refill it. */
    public Declarations readModel(ReadModel model) {
        host(model);
        return this;
    }

    /**
     * Makes the value {@code uniqueness} finds in {@code type}'s events unique across its streams:
     * each commit claims what its events take, and a value another stream holds refuses the
     * command with 409 {@code unique-value-taken}, code {@code <name>-taken}.
     */
    public <E> Declarations unique(AggregateType<?, E, ?> type, Uniqueness<E> uniqueness) {
        uniques.computeIfAbsent(type.streamType(), streamType -> new ArrayList<>()).add(uniqueness);
        return this;
    }

    /** A reaction the saga function runs for every stored event. */
    public Declarations reaction(Reaction.Factory reaction) {
        reactions.add(reaction);
        return this;
    }

    private void host(ReadModel model) {
        if (!readModels.contains(model)) {
            readModels.add(model);
        }
    }
}
