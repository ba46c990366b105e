package dev.factline.functions.query;

import dev.factline.functions.http.EntityTags;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request read and checked, ready to run: what it reads (a stream id, or a list's name, for
 * the log), how, and the client's {@code If-None-Match}. Everything a client can get wrong has
 * been refused by the time one exists, before any read.
 */
record Query(String subject, Reader reader, EntityTags.@Nullable IfNoneMatch ifNoneMatch) {

    /** The reads, against the caches, the read table or the event store. */
    @FunctionalInterface
    interface Reader {
        Representation read(QueryTrace trace);
    }

    Query {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(reader, "reader");
    }

    Query(String subject, Reader reader) {
        this(subject, reader, null);
    }

    Query withIfNoneMatch(EntityTags.@Nullable IfNoneMatch condition) {
        return new Query(subject, reader, condition);
    }
}
