package dev.factline.eventsourcing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A read model of one document per stream: the streams of one aggregate type, each folded by
 * {@code projection} into a view whose JSON is what the read table, Redis and query answers hold.
 * The projector folds it from the stored view, queries replay it for read-after-write and
 * temporal reads, and a rebuild replays it over the whole history: one fold, the same view.
 *
 * @param cached whether Redis holds its views (written through by the projector, read first by queries)
 * @param listing an index of its views by owner, if it has one (a customer's orders)
 * @param inline whether the command side writes its row in the commit itself ({@link InlineModels}), so a read
 *     right after a command's answer sees it; otherwise the projector folds it from the table's stream
 */
public record StreamView<E, V>(
        String name,
        int version,
        String streamType,
        EventCodec<E> codec,
        Projection<E, V> projection,
        Class<V> viewClass,
        boolean cached,
        @Nullable Listing<V> listing,
        boolean inline) implements ReadModel {

    private static final ObjectMapper JSON = Json.strictMapper();

    public StreamView {
        ReadModel.requireName(name);
        ReadModel.requireVersion(name, version);
        StreamId.requireType(streamType);
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(viewClass, "viewClass");
        if (inline && cached) {
            throw new IllegalArgumentException(name + " is declared inline and cached in Redis: an inline view is read from the row "
                    + "its commit wrote, and Redis, written by the projector after the commit, would serve it late");
        }
    }

    /** A view of {@code streamType}'s streams, neither cached nor listed. */
    public static <E, V> StreamView<E, V> of(String name, int version, String streamType, EventCodec<E> codec,
            Projection<E, V> projection, Class<V> viewClass) {
        return new StreamView<>(name, version, streamType, codec, projection, viewClass, false, null, false);
    }

    public StreamView<E, V> cachedInRedis() {
        return new StreamView<>(name, version, streamType, codec, projection, viewClass, true, listing, inline);
    }

    public StreamView<E, V> listedBy(Listing<V> byOwner) {
        return new StreamView<>(name, version, streamType, codec, projection, viewClass, cached, Objects.requireNonNull(byOwner, "byOwner"),
                inline);
    }

    /**
     * Written by the command side in the same atomic write as the commit, not by the projector:
     * a read after a command's answer sees its effect, at the price of a transactional write per
     * command and, for a stream the command side does not remember, a read of the row first.
     */
    public StreamView<E, V> writtenInline() {
        return new StreamView<>(name, version, streamType, codec, projection, viewClass, cached, listing, true);
    }

    public boolean follows(StreamId stream) {
        return stream.type().equals(streamType);
    }

    /** The read-table key (and Redis key) of {@code stream}'s view: {@code <space>/<stream id>}. */
    public String rowKey(StreamId stream) {
        if (!follows(stream)) {
            throw new IllegalArgumentException(name + " follows " + streamType + " streams, not " + stream);
        }
        return space() + "/" + stream;
    }

    /** The stream whose view is at {@code rowKey}. */
    public StreamId streamOf(String rowKey) {
        String prefix = space() + "/";
        if (!rowKey.startsWith(prefix)) {
            throw new IllegalArgumentException(rowKey + " is not a key of " + space());
        }
        StreamId stream = StreamId.parse(rowKey.substring(prefix.length()));
        if (!follows(stream)) {
            throw new IllegalArgumentException(rowKey + " names a " + stream.type() + " stream, which " + name + " does not follow");
        }
        return stream;
    }

    public long versionOf(V view) {
        return projection.versionOf(view);
    }

    public String toJson(V view) {
        try {
            return JSON.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + viewClass.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalStateException if the stored JSON is no such view (another build's shape of it) */
    public V fromJson(String json) {
        try {
            return JSON.readValue(json, viewClass);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + viewClass.getSimpleName() + " does not read back: " + e.getOriginalMessage(), e);
        }
    }
}
