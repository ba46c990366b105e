package dev.factline.eventsourcing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The read models a deployment hosts: the projector keeps every one, the query function serves
 * them, a rebuild refills one. Registering a read model is adding it here.
 */
public record ReadModels(List<ReadModel> all) {

    public ReadModels {
        all = List.copyOf(all);
        Set<String> spaces = new HashSet<>();
        for (ReadModel model : all) {
            if (!spaces.add(model.space())) {
                throw new IllegalArgumentException("read model " + model.space() + " is declared twice");
            }
        }
        for (ReadModel model : all) {
            if (model instanceof Tally<?> tally && !all.contains(tally.source())) {
                throw new IllegalArgumentException("tally " + tally.space() + " sums " + tally.source().space() + ", which is not registered");
            }
        }
    }

    public static ReadModels of(ReadModel... models) {
        return new ReadModels(List.of(models));
    }

    /** The views that follow streams of {@code streamType}, in registration order. */
    public List<StreamView<?, ?>> following(String streamType) {
        List<StreamView<?, ?>> views = new ArrayList<>();
        for (ReadModel model : all) {
            if (model instanceof StreamView<?, ?> view && view.streamType().equals(streamType)) {
                views.add(view);
            }
        }
        return views;
    }

    /** The tallies summed over {@code source}'s views. */
    @SuppressWarnings("unchecked")
    public <V> List<Tally<V>> talliesOf(StreamView<?, V> source) {
        List<Tally<V>> tallies = new ArrayList<>();
        for (ReadModel model : all) {
            if (model instanceof Tally<?> tally && tally.source().equals(source)) {
                tallies.add((Tally<V>) tally);
            }
        }
        return tallies;
    }

    public Optional<ReadModel> find(String name, int version) {
        return all.stream().filter(model -> model.name().equals(name) && model.version() == version).findFirst();
    }
}
