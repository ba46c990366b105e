package dev.factline.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON settings of the HTTP edge, one mapper for the whole function (it is thread-safe and
 * costly to build, so it is built once, at class initialization, which SnapStart snapshots).
 *
 * <p>Strict on read: a member named twice ({@code {"amount":1,"amount":2}}) is refused rather
 * than resolved silently (and {@link JsonObjectReader#parse} refuses text after the value), and
 * decimals are read as {@code BigDecimal}, so a refused number is quoted back with the digits the
 * client wrote rather than rounded to a double.
 */
public final class HttpJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private HttpJson() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The compact text of {@code node}. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree built in memory always serializes; this is a bug, not a bad request.
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }
}
