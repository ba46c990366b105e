package dev.factline.functions.command;

import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What a route's parser reads: the matched route (for the path's id), the body, and new ids. */
public record CommandInput(RouteTable.Match<CommandRoute> match, JsonObjectReader body, IdGenerator ids, @Nullable IdempotencyKey idempotencyKey) {

    /** The path's {@code {id}}, checked as the id part of a stream id: a 400 otherwise. */
    public String pathId() {
        return match.pathId();
    }

    /**
     * An id for a stream the client did not name. With an {@code Idempotency-Key} it is derived
     * from the route and the key, so a retry of the same request names the same stream and gets
     * the original answer; a fresh id per attempt would make the key look reused on another
     * stream. Without a key, a fresh one.
     */
    public String newId() {
        if (idempotencyKey == null) {
            return ids.next().toString();
        }
        String name = match.route().key() + "\n" + idempotencyKey.value();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
