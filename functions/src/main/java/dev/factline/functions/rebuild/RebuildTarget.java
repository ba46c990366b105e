package dev.factline.functions.rebuild;

import dev.factline.eventsourcing.ReadModel;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one rebuild refills: a {@link StreamView} at one version, with the tallies summed over it
 * (a tally is part of its source's version, so it is rebuilt with it, never alone).
 *
 * @param models the view and its tallies: all the rebuild's projector writes
 */
public record RebuildTarget(StreamView<?, ?> view, ReadModels models) {

    public RebuildTarget {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(models, "models");
    }

    /**
     * The hosted read model {@code name} at {@code version}, with its tallies.
     *
     * @throws IllegalArgumentException naming what is hosted, when no such read model is, or when it is a tally
     */
    public static RebuildTarget of(ReadModels hosted, String name, int version) {
        ReadModel model = hosted.find(name, version).orElseThrow(() -> new IllegalArgumentException("no read model " + name + "@" + version
                + " is hosted; hosted: " + hosted.all().stream().map(ReadModel::space).collect(Collectors.joining(", "))));
        if (model instanceof Tally<?> tally) {
            throw new IllegalArgumentException(tally.space() + " is a tally of " + tally.source().space()
                    + " and part of its version: rebuild " + tally.source().name() + " " + tally.source().version());
        }
        StreamView<?, ?> view = (StreamView<?, ?>) model;
        List<ReadModel> together = new ArrayList<>();
        together.add(view);
        together.addAll(hosted.talliesOf(view));
        return new RebuildTarget(view, new ReadModels(together));
    }

    public String space() {
        return view.space();
    }
}
