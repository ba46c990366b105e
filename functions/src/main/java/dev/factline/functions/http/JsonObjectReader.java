package dev.factline.functions.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads one JSON object of a request body member by member, refusing what does not fit with a
 * 400 whose message names the member by its JSON pointer: {@code /amount/minorUnits must be an
 * integer, but was a string}, {@code /lines/2/quantity must be 1..10000, but was 0}.
 *
 * <p>A reader is told which members it may hold ({@link #allowOnly}), so a misspelt optional
 * member is refused instead of silently ignored. A member that is JSON {@code null} counts as
 * absent. An integer member takes an integer literal only: {@code 1000}, not {@code 1000.0} or
 * {@code 1e3}. A client that writes a decimal point or an exponent got its number from floating
 * point, where {@code 10.0} and {@code 10.000000000000002} are one rounding apart; refusing both
 * shows that on the first request rather than on the one that rounds badly.
 */
public final class JsonObjectReader {

    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private final ObjectNode node;
    private final String pointer;

    private JsonObjectReader(ObjectNode node, String pointer) {
        this.node = node;
        this.pointer = pointer;
    }

    /** The body as one JSON object; an empty body, malformed JSON or another JSON value is a 400. */
    public static JsonObjectReader parse(byte[] body) {
        if (body.length == 0) {
            throw refused("", "the request body is empty, but this command needs a JSON object");
        }
        JsonNode root;
        JsonLocation second = null;
        try (JsonParser parser = HttpJson.MAPPER.createParser(body)) {
            root = HttpJson.MAPPER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                second = parser.currentTokenLocation();
            }
        } catch (JsonProcessingException e) {
            throw refused("", "the request body is not valid JSON: " + describe(e));
        } catch (IOException | RuntimeException e) {
            // Reading from memory leaves only malformed input (a number too long to parse, say).
            throw refused("", "the request body is not valid JSON");
        }
        if (second != null) {
            throw refused("", "the request body holds more than one JSON value; the second starts at line " + second.getLineNr()
                    + ", column " + second.getColumnNr());
        }
        if (root == null || root.isMissingNode()) {
            throw refused("", "the request body holds no JSON value, but this command needs a JSON object");
        }
        if (!(root instanceof ObjectNode object)) {
            throw refused("", "the request body must be a JSON object, but was " + kindOf(root));
        }
        List<FieldError> notText = new ArrayList<>();
        collectNonText(object, "", notText);
        if (!notText.isEmpty()) {
            throw new ProblemException(Problem.invalidFields(notText));
        }
        return new JsonObjectReader(object, "");
    }

    /**
     * Every string value of the body that is not Unicode text, checked here, where all of them
     * pass before any is read: an event holding one could be stored but never published, since
     * UTF-8 cannot carry it. Member names need no check: the parser refuses half a pair in a
     * name, and decoding UTF-8 never makes one.
     *
     * <p>U+FFFD is refused too: it is what a decoder puts for bytes that were not UTF-8, and a
     * body passed on as text (API Gateway's, or a local front's) has been decoded so before the
     * function sees it. No command needs the character; a client whose text met one learns here.
     */
    private static void collectNonText(JsonNode node, String where, List<FieldError> errors) {
        if (node.isTextual() && !Texts.isUnicode(node.textValue())) {
            errors.add(new FieldError(where, where + " is not Unicode text: it holds half of a UTF-16 surrogate pair alone"));
        } else if (node.isTextual() && node.textValue().indexOf(REPLACEMENT_CHARACTER) >= 0) {
            errors.add(new FieldError(where, where + " holds U+FFFD, which a decoder puts for bytes that were not UTF-8; send the text as UTF-8"));
        } else if (node instanceof ObjectNode object) {
            object.properties().forEach(member -> collectNonText(member.getValue(), pointer(where, member.getKey()), errors));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNonText(node.get(i), where + "/" + i, errors);
            }
        }
    }

    /** A reader of {@code {}}, for commands whose body may be left out. */
    public static JsonObjectReader empty() {
        return new JsonObjectReader(HttpJson.object(), "");
    }

    /** Where this object sits in the body: {@code ""} for the body itself, {@code /lines/2} for a line. */
    public String pointer() {
        return pointer;
    }

    /** The pointer of the member {@code name} of this object. */
    public String pointerOf(String name) {
        return pointer(pointer, name);
    }

    private static String pointer(String object, String name) {
        return object + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /** Refuses every member not named here, each with its own error, before any member is read. */
    public JsonObjectReader allowOnly(String... names) {
        Set<String> allowed = Set.of(names);
        List<FieldError> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!allowed.contains(member.getKey())) {
                String where = pointerOf(member.getKey());
                unknown.add(new FieldError(where, Texts.cut(where) + " is not a known member"
                        + (names.length == 0 ? "; this object takes none" : "; expected only " + String.join(", ", names))));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ProblemException(Problem.invalidFields(unknown));
        }
        return this;
    }

    public String requiredString(String name) {
        JsonNode value = required(name);
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return value.textValue();
    }

    public @Nullable String optionalString(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return value.textValue();
    }

    /** An integral number that fits in a long. */
    public long requiredLong(String name) {
        Integral integral = requiredIntegral(name);
        if (integral.fitting().isEmpty()) {
            throw refused(pointerOf(name), pointerOf(name) + " must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                    + ", but was " + shown(integral.value()));
        }
        return integral.fitting().getAsLong();
    }

    /** An integral number from {@code min} to {@code max}, both included. */
    public int requiredInt(String name, int min, int max) {
        Integral integral = requiredIntegral(name);
        OptionalLong fitting = integral.fitting();
        if (fitting.isEmpty() || fitting.getAsLong() < min || fitting.getAsLong() > max) {
            throw refused(pointerOf(name), pointerOf(name) + " must be " + min + ".." + max + ", but was " + shown(integral.value()));
        }
        return (int) fitting.getAsLong();
    }

    /** A required integer literal, and its value when it fits in a long. */
    private Integral requiredIntegral(String name) {
        JsonNode value = required(name);
        if (!value.isNumber()) {
            throw wrongType(name, "an integer", value);
        }
        if (!value.isIntegralNumber()) {
            throw refused(pointerOf(name), pointerOf(name) + " must be an integer, but was " + shown(value));
        }
        BigInteger exact = value.bigIntegerValue();
        return new Integral(value, exact.bitLength() < Long.SIZE ? OptionalLong.of(exact.longValue()) : OptionalLong.empty());
    }

    private record Integral(JsonNode value, OptionalLong fitting) {
    }

    public JsonObjectReader requiredObject(String name) {
        JsonNode value = required(name);
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(name, "an object", value);
        }
        return new JsonObjectReader(object, pointerOf(name));
    }

    /** An array of {@code min..max} objects, each with a reader at its own pointer ({@code /lines/0}, ...). */
    public List<JsonObjectReader> requiredObjects(String name, int min, int max) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array", value);
        }
        String where = pointerOf(name);
        if (value.size() < min || value.size() > max) {
            throw refused(where, where + " must hold " + min + ".." + max + " items, but held " + value.size());
        }
        List<JsonObjectReader> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!(item instanceof ObjectNode object)) {
                throw refused(where + "/" + i, where + "/" + i + " must be an object, but was " + kindOf(item));
            }
            items.add(new JsonObjectReader(object, where + "/" + i));
        }
        return items;
    }

    /**
     * Runs {@code check} (typically a constructor that validates), turning its
     * {@link IllegalArgumentException} into a 400 at this object, with the exception's message.
     */
    public <T> T check(Supplier<T> check) {
        return checkAt(pointer, check);
    }

    /** As {@link #check(Supplier)}, for a check of the member {@code name}. */
    public <T> T check(String name, Supplier<T> check) {
        return checkAt(pointerOf(name), check);
    }

    /** A 400 about the member {@code name}: {@code <pointer> <predicate>}. */
    public ProblemException refuse(String name, String predicate) {
        return refused(pointerOf(name), pointerOf(name) + " " + predicate);
    }

    private static <T> T checkAt(String where, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            String message = Texts.sentence(String.valueOf(e.getMessage()));
            throw refused(where, where.isEmpty() || message.startsWith(where) ? message : where + ": " + message);
        }
    }

    private JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw refused(pointerOf(name), pointerOf(name) + " is required");
        }
        return value;
    }

    private ProblemException wrongType(String name, String expected, JsonNode value) {
        return refused(pointerOf(name), pointerOf(name) + " must be " + expected + ", but was " + kindOf(value));
    }

    private static ProblemException refused(String where, String detail) {
        return new ProblemException(Problem.invalidFields(List.of(new FieldError(where, detail))));
    }

    private static String shown(JsonNode number) {
        String text = number.isIntegralNumber() ? number.bigIntegerValue().toString() : number.decimalValue().toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String kindOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "another kind of value";
        };
    }

    /**
     * Jackson's own words for a syntax error, with the line and column, when they are plain
     * words: some of its messages name its classes or features, and those are replaced.
     */
    private static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof JsonEOFException) {
            return "it ends before its value is complete" + where;
        }
        if (e instanceof StreamConstraintsException) {
            return "it nests too deep, or holds a number or string too long, to be read";
        }
        String original = e.getOriginalMessage();
        boolean plain = original != null && !original.contains("`") && !original.contains("Source") && !original.contains("\n")
                && original.length() <= 200;
        return (plain ? original : "it breaks the JSON syntax") + where;
    }
}
