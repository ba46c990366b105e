package dev.factline.eventsourcing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The read models a deployment hosts: the projector keeps every one but those the commits write
 * inline, the query function serves them, a rebuild refills one. Registering a read model is adding it here.
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
            if (model instanceof Tally<?> tally && tally.source().inline()) {
                throw new IllegalArgumentException("tally " + tally.space() + " sums " + tally.source().space() + ", which is written inline: "
                        + "a tally moves in the projector's write of the views it counts");
            }
        }
    }

    public static ReadModels of(ReadModel... models) {
        return new ReadModels(List.of(models));
    }

    /** The views the projector folds from streams of {@code streamType}, in registration order: all but the inline ones. */
    public List<StreamView<?, ?>> projected(String streamType) {
        return following(streamType, false);
    }

    /** The views of {@code streamType}'s streams that its commits write themselves, in registration order. */
    @SuppressWarnings("unchecked") // a view following streamType folds that aggregate's events, E
    public <E> List<StreamView<E, ?>> inline(AggregateType<?, E, ?> type) {
        List<StreamView<E, ?>> views = new ArrayList<>();
        following(type.streamType(), true).forEach(view -> views.add((StreamView<E, ?>) view));
        return views;
    }

    private List<StreamView<?, ?>> following(String streamType, boolean inline) {
        List<StreamView<?, ?>> views = new ArrayList<>();
        for (ReadModel model : all) {
            if (model instanceof StreamView<?, ?> view && view.streamType().equals(streamType) && view.inline() == inline) {
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
