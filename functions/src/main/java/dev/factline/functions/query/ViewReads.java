package dev.factline.functions.query;

import dev.factline.eventsourcing.StreamId;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.view.ViewRow;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StreamView}'s route ({@code GET /accounts/{id}}, {@code GET /orders/{id}}, ...): one
 * stream's view, current, at least at a version, or as it was ({@link ViewSelector}). The body is the view's JSON as the read
 * table holds it; the {@code ETag} is the stream version it reflects, as the command side's.
 *
 * <p>What each asks for and costs (DynamoDB calls, Redis calls; a warm container also checks the
 * cache repair list, one GetItem per interval):
 *
 * <pre>
 * current, Redis hit                      0, 1
 * current, miss                           1 GetItem (consistent: it fills Redis), 2 (get, fill)
 * minVersion met by the caches            as current
 * minVersion beyond them, consistent=true as current + 1 Query (the events after the view found)
 * atVersion                               as current (for a view to start from) + 1 Query unless that view is at N
 * asOf                                    1 Query (the stream's prefix), no cache
 * </pre>
 *
 * <p>Outcomes beyond the data: a stream with no events is 404 {@code not-found}; a stream
 * that exists but has not reached the version asked ({@code minVersion} or {@code atVersion}
 * past its head) is 404 {@code version-not-found}, naming the head: the view asked for does not
 * exist, and serving an older one would break the promise of "at least". {@code asOf} before the
 * stream's first event is 404 {@code not-found}: then, it did not exist.
 */
final class ViewReads {

    private final ServedReadModels served;
    private final CachedViews views;
    private final Rebuilds rebuilds;

    ViewReads(ServedReadModels served, CachedViews views, Rebuilds rebuilds) {
        this.served = Objects.requireNonNull(served, "served");
        this.views = Objects.requireNonNull(views, "views");
        this.rebuilds = Objects.requireNonNull(rebuilds, "rebuilds");
    }

    /**
     * The route of {@code declared}'s views, at the version served ({@link ServedReadModels}):
     * checks the id, the parameters and {@code Min-Version}, before any read.
     */
    QueryRoute route(StreamView<?, ?> declared) {
        return input -> {
            StreamView<?, ?> model = served.view(declared);
            StreamId stream = StreamId.of(model.streamType(), input.pathId());
            QueryParameters parameters = QueryParameters.of(input.query(), ViewSelector.PARAMETERS);
            ViewSelector selector = ViewSelector.read(parameters, input.request().header(ViewSelector.MIN_VERSION_HEADER));
            return new Query(stream.toString(), trace -> read(stream, model, selector, trace));
        };
    }

    Representation read(StreamId stream, StreamView<?, ?> model, ViewSelector selector, QueryTrace trace) {
        ViewRow row = switch (selector) {
            case ViewSelector.Current current -> current(stream, model, current, trace);
            case ViewSelector.AtVersion at -> atVersion(stream, model, at.version(), trace);
            case ViewSelector.AsOf asOf -> asOf(stream, model, asOf.instant(), trace);
        };
        return new Representation(row.json(), EntityTags.of(row.version()), row.version());
    }

    private ViewRow current(StreamId stream, StreamView<?, ?> model, ViewSelector.Current asked, QueryTrace trace) {
        Optional<ViewRow> found = views.get(model, stream, trace);
        Long minVersion = asked.minVersion();
        boolean enough = minVersion == null || found.isPresent() && found.get().version() >= minVersion;
        if (enough && !asked.consistent()) {
            return found.orElseThrow(() -> notProjected(stream));
        }
        ViewRow head = rebuilds.toHead(stream, model, found.orElse(null)).orElseThrow(() -> noEvents(stream));
        trace.rebuilt();
        if (found.isEmpty() || head.version() > found.get().version()) {
            views.offer(model, head, trace);
        }
        if (minVersion != null && head.version() < minVersion) {
            throw notReached(stream, head.version(), minVersion, " yet");
        }
        return head;
    }

    private ViewRow atVersion(StreamId stream, StreamView<?, ?> model, long version, QueryTrace trace) {
        Optional<ViewRow> found = views.get(model, stream, trace);
        if (found.isPresent() && found.get().version() == version) {
            return found.get();
        }
        ViewRow at = rebuilds.upTo(stream, model, found.orElse(null), version).orElseThrow(() -> noEvents(stream));
        trace.rebuilt();
        if (at.version() < version) {
            throw notReached(stream, at.version(), version, "");
        }
        return at;
    }

    private ViewRow asOf(StreamId stream, StreamView<?, ?> model, Instant instant, QueryTrace trace) {
        Optional<ViewRow> then = rebuilds.asOf(stream, model, instant);
        trace.rebuilt();
        return then.orElseThrow(() -> ProblemException.of(ProblemType.NOT_FOUND,
                stream + " has no events at or before " + instant + ": it did not exist then, or does not exist at all"));
    }

    /** A plain read found no view; the stream may exist and not be projected yet, which minVersion would see. */
    private static ProblemException notProjected(StreamId stream) {
        return ProblemException.of(ProblemType.NOT_FOUND, "there is no " + stream.type() + " '" + stream.id()
                + "' (if it was created a moment ago, ask with ?minVersion=1 to read it from the event store)");
    }

    private static ProblemException noEvents(StreamId stream) {
        return ProblemException.of(ProblemType.NOT_FOUND, "there is no " + stream.type() + " '" + stream.id() + "': " + stream + " has no events");
    }

    private static ProblemException notReached(StreamId stream, long head, long asked, String yet) {
        return ProblemException.of(ProblemType.VERSION_NOT_FOUND,
                stream + " is at version " + head + ", so it has no version " + asked + yet);
    }
}
