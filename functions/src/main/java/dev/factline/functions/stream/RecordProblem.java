package dev.factline.functions.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stream record a function reports back to Lambda, and why: what its batch log line lists, in
 * the same shape for every stream function.
 *
 * @param kind what went wrong, kebab-case ({@code unreadable}, {@code refused}, ...)
 * @param sequenceNumber the record's; null when the record had none (then Lambda retries the batch from its start)
 * @param streamId the stream it belongs to, when known
 * @param version the event's version, when one event is at fault
 * @param readModel the read model it failed in, for the projector
 */
public record RecordProblem(String kind, @Nullable String sequenceNumber, @Nullable String streamId, @Nullable Long version,
        @Nullable String readModel, String reason) {

    /** A log line stays far below CloudWatch Logs' 256 KB an event when every stream of a big batch has a problem (an outage). */
    public static final int MAX_LISTED = 20;

    public RecordProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** Lists {@code problems} in {@code line} as {@code "problems"}; past {@value #MAX_LISTED} only counts the rest ({@code problemsNotListed}). */
    public static void listIn(ObjectNode line, List<RecordProblem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        ArrayNode list = line.putArray("problems");
        for (RecordProblem problem : problems.subList(0, Math.min(problems.size(), MAX_LISTED))) {
            ObjectNode item = list.addObject().put("kind", problem.kind());
            putIfKnown(item, "sequenceNumber", problem.sequenceNumber());
            putIfKnown(item, "streamId", problem.streamId());
            if (problem.version() != null) {
                item.put("version", problem.version());
            }
            putIfKnown(item, "readModel", problem.readModel());
            item.put("reason", problem.reason());
        }
        if (problems.size() > MAX_LISTED) {
            line.put("problemsNotListed", problems.size() - MAX_LISTED);
        }
    }

    private static void putIfKnown(ObjectNode item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, value);
        }
    }
}
