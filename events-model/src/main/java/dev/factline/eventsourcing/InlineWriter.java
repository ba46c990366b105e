package dev.factline.eventsourcing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A command handler's inline writes: for each commit, the views of its inline read models after
 * the commit's events, and the claims of the values they take.
 *
 * <p>A view after a commit is the view before it with the new events folded on, by the model's
 * own fold, so it is the view the projector or a rebuild would give. The view before comes, in
 * order of cost: from what this writer last wrote of the stream (no read), from the row the last
 * commit wrote (one consistent read), or from the stream's history when there is no such row yet
 * (a stream older than the model).
 */
final class InlineWriter<E> {

    /** The views of one stream at one version, by model. */
    private record ViewsAt(long version, Map<StreamView<?, ?>, Object> views) {
    }

    private final InlineModels<E> models;
    private final EventStore store;
    private final RecentStates<ViewsAt> recent;

    InlineWriter(InlineModels<E> models, EventStore store, int recentStreams) {
        this.models = Objects.requireNonNull(models, "models");
        this.store = Objects.requireNonNull(store, "store");
        this.recent = new RecentStates<>(recentStreams, ViewsAt::version);
    }

    /** What a commit of {@code decided} at versions {@code expected + 1 ..}, occurring at {@code at}, writes inline. */
    List<InlineWrite> writes(StreamId stream, long expected, List<E> decided, Instant at) {
        if (models.isEmpty() || decided.isEmpty()) {
            return List.of();
        }
        ViewsAt known = recent.get(stream);
        List<InlineWrite> writes = new ArrayList<>();
        for (StreamView<E, ?> model : models.views()) {
            writes.add(viewAfter(model, stream, expected, decided, at, known != null && known.version() == expected ? known : null));
        }
        writes.addAll(models.claims(stream, decided));
        return writes;
    }

    /** Remembers the views a commit wrote, as the stream's views at {@code version}. */
    void committed(StreamId stream, long version, List<InlineWrite> writes) {
        Map<StreamView<?, ?>, Object> views = new HashMap<>();
        for (InlineWrite write : writes) {
            if (write instanceof InlineWrite.View<?> view) {
                views.put(view.model(), view.view());
            }
        }
        if (!views.isEmpty()) {
            recent.remember(stream, new ViewsAt(version, views));
        }
    }

    void forget(StreamId stream) {
        recent.forget(stream);
    }

    private <V> InlineWrite.View<V> viewAfter(StreamView<E, V> model, StreamId stream, long expected, List<E> decided, Instant at,
            @Nullable ViewsAt known) {
        V view = expected == 0 ? null : viewAt(model, stream, expected, known);
        long version = expected;
        for (E event : decided) {
            view = model.projection().apply(view, stream, ++version, at, event);
        }
        return new InlineWrite.View<>(model, stream, Objects.requireNonNull(view, "a fold of events gives a view"));
    }

    private <V> @Nullable V viewAt(StreamView<E, V> model, StreamId stream, long version, @Nullable ViewsAt known) {
        if (known != null && known.views().containsKey(model)) {
            return model.viewClass().cast(known.views().get(model));
        }
        Optional<V> stored = store.inlineView(model, stream);
        if (stored.isPresent() && model.versionOf(stored.get()) > version) {
            // The row's commit came after the state this writer decided on: its own commit would conflict.
            throw new VersionConflictException(stream, version, model.versionOf(stored.get()));
        }
        return stored.filter(view -> model.versionOf(view) == version)
                .orElseGet(() -> model.projection().replay(null, store.load(stream, 1, version), model.codec()));
    }
}
