package dev.factline.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factline.eventsourcing.ReadModels;
import dev.factline.eventsourcing.StreamView;
import dev.factline.functions.http.EntityTags;
import dev.factline.functions.http.HttpJson;
import dev.factline.functions.rebuild.RebuildLedger;
import dev.factline.functions.rebuild.RebuildProgress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /rebuilds}: every hosted read model (a stream view; its tallies are rebuilt with it),
 * the version queries serve, and each hosted version's rebuild as the rebuild ledger has it, the
 * progress of a running one included, segment by segment:
 *
 * <pre>
 * {"readModels": [{"name": "account-view", "served": 1, "versions": [{"version": 1, "space": "account-view@1",
 *   "rebuild": {"state": "running", "segments": 2, "segmentsDone": 1, "owner", "startedAt", "leaseUntil",
 *               "events", "commits", "itemsRead", "readUnits", "rowsWritten", "problems",
 *               "checkpoints": [{"segment": 0, "done": true, "itemsRead", "events"}, ...]}}]}],
 *  "running": 1}
 * </pre>
 *
 * A version never rebuilt has no {@code rebuild}; a complete run has {@code completedAt} and no
 * checkpoints. Reads: one BatchGetItem of the runs, then each running run's checkpoints (one
 * GetItem per segment). How many items a run has left is not known here: the event table's
 * approximate item count is DescribeTable's, which the query function may not call. Not cached;
 * the {@code ETag} is weak, derived from the content.
 */
final class RebuildReads {

    static final String PATH = "/rebuilds";

    private final List<StreamView<?, ?>> views;
    private final ServedReadModels served;
    private final RebuildLedger ledger;

    RebuildReads(ReadModels hosted, ServedReadModels served, RebuildLedger ledger) {
        this.views = hosted.all().stream().filter(model -> model instanceof StreamView<?, ?>).<StreamView<?, ?>>map(model -> (StreamView<?, ?>) model)
                .sorted(Comparator.<StreamView<?, ?>, String>comparing(StreamView::name).thenComparingInt(StreamView::version)).toList();
        this.served = Objects.requireNonNull(served, "served");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    QueryRoute route() {
        return input -> {
            QueryParameters.of(input.query());
            return new Query(PATH, trace -> {
                Map<String, RebuildLedger.Run> runs = ledger.runs(views.stream().map(StreamView::space).toList());
                trace.tableRead();
                Map<String, List<RebuildLedger.Checkpoint>> progress = new LinkedHashMap<>();
                runs.values().stream().filter(run -> !run.complete()).forEach(run -> {
                    progress.put(run.space(), ledger.checkpoints(run.space(), run.segments()));
                    for (int segment = 0; segment < run.segments(); segment++) {
                        trace.tableRead();
                    }
                });
                String json = HttpJson.write(representation(runs, progress));
                return new Representation(json, EntityTags.weakOf(json), null);
            });
        };
    }

    private ObjectNode representation(Map<String, RebuildLedger.Run> runs, Map<String, List<RebuildLedger.Checkpoint>> progress) {
        ObjectNode body = HttpJson.object();
        ArrayNode models = body.putArray("readModels");
        Map<String, ArrayNode> versionsOf = new LinkedHashMap<>();
        for (StreamView<?, ?> view : views) {
            ArrayNode versions = versionsOf.computeIfAbsent(view.name(), name -> models.addObject().put("name", name)
                    .put("served", served.view(view).version()).putArray("versions"));
            ObjectNode version = versions.addObject().put("version", view.version()).put("space", view.space());
            RebuildLedger.Run run = runs.get(view.space());
            if (run != null) {
                rebuild(version.putObject("rebuild"), run, progress.get(run.space()));
            }
        }
        body.put("running", runs.values().stream().filter(run -> !run.complete()).count());
        return body;
    }

    private static void rebuild(ObjectNode json, RebuildLedger.Run run, @Nullable List<RebuildLedger.Checkpoint> checkpoints) {
        json.put("state", run.state()).put("segments", run.segments()).put("owner", run.owner()).put("startedAt", run.startedAt().toString());
        if (run.completedAt() != null) {
            json.put("completedAt", run.completedAt().toString());
        }
        if (checkpoints == null) {
            return;
        }
        json.put("leaseUntil", run.leaseUntil().toString());
        RebuildProgress.Figures figures = RebuildProgress.Figures.of(checkpoints);
        json.put("segmentsDone", figures.segmentsDone()).put("events", figures.events()).put("commits", figures.commits())
                .put("itemsRead", figures.itemsRead()).put("readUnits", figures.readUnits()).put("rowsWritten", figures.rowsWritten())
                .put("problems", figures.problems());
        ArrayNode segments = json.putArray("checkpoints");
        checkpoints.forEach(checkpoint -> segments.addObject().put("segment", checkpoint.segment()).put("done", checkpoint.done())
                .put("itemsRead", checkpoint.itemsRead()).put("events", checkpoint.events()));
    }
}
