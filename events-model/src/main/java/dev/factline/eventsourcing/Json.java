package dev.factline.eventsourcing;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON settings for stored facts (event payloads, snapshots). Strict on read, so a shape
 * an upcaster forgot is an error rather than a silently missing field. A record's stored shape
 * is its components only: {@code isX()} helpers such as {@code Money.isZero()} are not
 * properties, or they would be written and then refused on read.
 *
 * <p>Readers find their deserializer on first use, not when made: an event codec makes one per
 * event type of every hosted domain, and fetching them eagerly built, at init, the deserializers of
 * types a function's first request never reads. Writers still fetch theirs when made: a writer that
 * fetches late writes a value by its runtime class, without the type tag of a sealed state's
 * snapshot (the codec tests failed so).
 */
public final class Json {

    private static final JsonMapper STRICT = settings().addModule(StoredTime.module()).build();

    private Json() {
    }

    /** The settings without the java.time module: the tests compare {@link StoredTime} with {@code JavaTimeModule} on them. */
    static JsonMapper.Builder settings() {
        return JsonMapper.builder()
                .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // An upcaster works on a tree; doubles there would round decimals that the
                // current shape, bound straight from the text, keeps exact.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.EAGER_DESERIALIZER_FETCH);
    }

    /** A mapper with the settings for stored facts: a copy, so configuring it changes no one else's. */
    public static ObjectMapper strictMapper() {
        return STRICT.copy();
    }
}
