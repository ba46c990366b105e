package dev.factline.personal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.factline.eventsourcing.Json;
import dev.factline.eventsourcing.PersonalFields;
import dev.factline.eventsourcing.StreamId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sealing a payload's personal fields on the way in, and revealing any JSON's sealed values on the
 * way out. Everything between (event items, snapshots, read-table rows, Redis entries, rebuilt read
 * models, Kinesis records) holds only {@link SealedText}; a reader reveals at its edge, so a
 * forgotten subject's fields read as {@link SealedText#ERASED} on every path at once, with nothing
 * to purge.
 */
public final class PersonalData {

    private static final ObjectMapper MAPPER = Json.strictMapper();

    private PersonalData() {
    }

    /**
     * {@code payload} with {@code fields} sealed with the data key of the subject its subject field
     * names; a payload whose personal fields are all null is returned as it is, and needs no key.
     *
     * @throws IllegalArgumentException if the payload has no valid subject but a personal value, or
     *     any text of it already looks sealed (it could not be told from a sealed value on the way out)
     * @throws KeyServiceUnavailableException if the subject's key cannot be had
     */
    public static String seal(String payload, PersonalFields fields, DataKeys keys) {
        ObjectNode tree = parseObject(payload);
        requireNothingSealed(tree, "");
        DataKey key = null;
        for (String field : fields.fields()) {
            JsonNode value = tree.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (key == null) {
                JsonNode subject = tree.path(fields.subjectField());
                key = keys.sealingKey(StreamId.requireId("the subject field " + fields.subjectField(), subject.isTextual() ? subject.textValue() : null));
            }
            tree.put(field, SealedText.seal(key, value.asText()));
        }
        return key == null ? payload : write(tree);
    }

    /** Whether {@code json} holds any sealed value: the cheap test a reader runs before parsing. */
    public static boolean holdsSealed(String json) {
        return json.contains(SealedText.PREFIX);
    }

    /**
     * {@code json} with every sealed value opened, or {@link SealedText#ERASED} where its subject's
     * key is gone. Each key is looked up once per call.
     *
     * @param where what the JSON is (an event, a view), for the error that names a tampered value
     * @throws PersonalDataTamperedException naming {@code where} and the field, if a value fails its integrity check
     * @throws KeyServiceUnavailableException if a key cannot be had
     */
    public static String reveal(String json, DataKeys keys, String where) {
        return open(json, keys, where).json();
    }

    /**
     * As {@link #reveal}, telling also whether any value was erased: a reader whose answer carries
     * a tag of its content must tag the erased answer apart from the plain one, whose stored
     * (sealed) form is the same.
     */
    public static Revealed open(String json, DataKeys keys, String where) {
        if (!holdsSealed(json)) {
            return new Revealed(json, false);
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage(), e);
        }
        Lookups lookups = new Lookups(keys);
        JsonNode revealed = reveal(tree, lookups, where, "", "");
        return new Revealed(write(revealed), lookups.foundErased());
    }

    /**
     * JSON as a client may see it.
     *
     * @param erasedAny whether some sealed value in it read as {@link SealedText#ERASED}
     */
    public record Revealed(String json, boolean erasedAny) {
    }

    /** @param event the innermost event the node sits in ({@code " (event AccountOpened version 1)"}), for histories; else empty */
    private static JsonNode reveal(JsonNode node, Lookups keys, String where, String pointer, String event) {
        if (node.isTextual() && SealedText.isSealed(node.textValue())) {
            try {
                SealedText.Sealed sealed = SealedText.parse(node.textValue());
                return TextNode.valueOf(SealedText.open(sealed, keys.opening(sealed)).orElse(SealedText.ERASED));
            } catch (PersonalDataTamperedException tampered) {
                throw new PersonalDataTamperedException("personal data in " + where + " at " + (pointer.isEmpty() ? "/" : pointer)
                        + event + ": " + tampered.getMessage(), tampered);
            }
        }
        if (node instanceof ObjectNode object) {
            String inEvent = object.path("type").isTextual() && object.path("version").isIntegralNumber()
                    ? " (event " + object.get("type").textValue() + " version " + object.get("version").longValue() + ")"
                    : event;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                field.setValue(reveal(field.getValue(), keys, where, pointer + "/" + field.getKey(), inEvent));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, reveal(array.get(i), keys, where, pointer + "/" + i, event));
            }
        }
        return node;
    }

    private static void requireNothingSealed(JsonNode node, String pointer) {
        if (node.isTextual() && SealedText.isSealed(node.textValue())) {
            throw new IllegalArgumentException(pointer + " may not begin with '" + SealedText.PREFIX + "': that marks sealed personal data");
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> requireNothingSealed(field.getValue(), pointer + "/" + field.getKey()));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                requireNothingSealed(array.get(i), pointer + "/" + i);
            }
        }
    }

    private static ObjectNode parseObject(String payload) {
        try {
            if (MAPPER.readTree(payload) instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a payload with personal fields must be JSON: " + e.getOriginalMessage(), e);
        }
        throw new IllegalArgumentException("a payload with personal fields must be a JSON object");
    }

    private static String write(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One reveal's key lookups: a subject's key is asked for once, however many of its values the JSON holds. */
    private record Lookups(DataKeys keys, Map<String, Optional<DataKey>> found) {

        Lookups(DataKeys keys) {
            this(keys, new HashMap<>());
        }

        Optional<DataKey> opening(SealedText.Sealed sealed) {
            return found.computeIfAbsent(sealed.subject() + SealedText.SEPARATOR + sealed.keyId(),
                    ignored -> keys.openingKey(sealed.subject(), sealed.keyId()));
        }

        boolean foundErased() {
            return found.values().stream().anyMatch(Optional::isEmpty);
        }
    }
}
