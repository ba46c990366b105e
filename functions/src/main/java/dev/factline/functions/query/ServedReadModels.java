package dev.factline.functions.query;

import dev.factline.eventsourcing.ReadModel;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.eventsourcing.Tally;
import dev.factline.functions.view.ReadModelPointers;
import dev.factline.functions.view.ReadTableUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which version of each read model the routes serve: the version its pointer names
 * ({@link ReadModelPointers}), if the deployment hosts it, else the lowest version hosted.
 *
 * <p>Only a read model hosted at two versions or more (a rebuild in progress, or a rollback kept
 * ready) has a choice to make, so only then are pointers read: one BatchGetItem of them at most
 * once per {@code interval} per container, before the first request that needs it. After a
 * cutover, a container serves the old version for at most one interval more. A read that fails
 * keeps what was known, and is tried again at the next interval.
 */
final class ServedReadModels {

    private final Map<String, List<StreamView<?, ?>>> versions;
    private final ReadModels hosted;
    private final List<String> contested;
    private final ReadModelPointers pointers;
    private final InstantSource clock;
    private final Duration interval;
    private @Nullable Instant nextCheck;
    private Map<String, Integer> active = Map.of();

    ServedReadModels(ReadModels hosted, ReadModelPointers pointers, InstantSource clock, Duration interval) {
        this.hosted = Objects.requireNonNull(hosted, "hosted");
        this.pointers = Objects.requireNonNull(pointers, "pointers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.versions = hosted.all().stream().filter(model -> model instanceof StreamView<?, ?>).map(model -> (StreamView<?, ?>) model)
                .sorted(Comparator.comparingInt(StreamView::version))
                .collect(Collectors.groupingBy(StreamView::name, Collectors.toList()));
        this.contested = versions.entrySet().stream().filter(entry -> entry.getValue().size() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    /** The version of {@code declared}'s read model to serve now. */
    StreamView<?, ?> view(StreamView<?, ?> declared) {
        List<StreamView<?, ?>> hostedVersions = versions.get(declared.name());
        if (hostedVersions == null) {
            throw new IllegalStateException("a route serves " + declared.space() + ", which this function does not host");
        }
        if (hostedVersions.size() == 1) {
            return hostedVersions.getFirst();
        }
        Integer pointed = activeVersions().get(declared.name());
        return hostedVersions.stream().filter(view -> pointed != null && view.version() == pointed).findFirst()
                .orElse(hostedVersions.getFirst());
    }

    /** The version of {@code declared} to serve: the one summed over the version of its source that is served. */
    Tally<?> tally(Tally<?> declared) {
        StreamView<?, ?> source = view(declared.source());
        for (ReadModel model : hosted.all()) {
            if (model instanceof Tally<?> tally && tally.name().equals(declared.name()) && tally.source().equals(source)) {
                return tally;
            }
        }
        throw new IllegalStateException("no version of tally " + declared.name() + " sums " + source.space());
    }

    private synchronized Map<String, Integer> activeVersions() {
        Instant now = clock.instant();
        if (nextCheck == null || !now.isBefore(nextCheck)) {
            nextCheck = now.plus(interval);
            try {
                Map<String, Integer> read = new HashMap<>();
                pointers.read(contested, false).forEach((name, pointer) -> read.put(name, pointer.active()));
                active = Map.copyOf(read);
            } catch (ReadTableUnavailableException unreadable) {
                // Keep serving what was known; the next interval reads again.
            }
        }
        return active;
    }
}
