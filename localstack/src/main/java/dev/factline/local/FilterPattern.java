package dev.factline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lambda's event filtering ({@code FilterCriteria}) for one pattern, applied to a record's JSON as
 * the function would receive it. A pattern is an object; a nested object descends into the
 * record's field of that name; a leaf is a list of matchers, any of which may match: a string,
 * number, boolean or null (equal values; numbers compare numerically), {@code {"prefix": s}},
 * {@code {"suffix": s}}, {@code {"anything-but": v or [..]}}, {@code {"exists": bool}} and
 * {@code {"numeric": [op, n, (op, n)]}}. A record field that is a list matches when any element
 * does. Every field of the pattern must match (AND), as in Lambda.
 */
public final class FilterPattern {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode pattern;

    private FilterPattern(ObjectNode pattern) {
        this.pattern = pattern;
    }

    /** Parses Lambda's filter JSON; refuses what Lambda would refuse at CreateEventSourceMapping (a leaf that is not a list). */
    public static FilterPattern parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("filter pattern is not JSON: " + json, e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("a filter pattern is a JSON object, not " + json);
        }
        check(object, "");
        return new FilterPattern(object);
    }

    /** Whether the record (its JSON as Lambda delivers it) passes the filter. */
    public boolean matches(JsonNode record) {
        return matchesObject(pattern, record);
    }

    private static void check(ObjectNode object, String path) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (value.isObject()) {
                check((ObjectNode) value, path + "/" + field.getKey());
            } else if (!value.isArray() || value.isEmpty()) {
                throw new IllegalArgumentException("filter pattern leaf " + path + "/" + field.getKey() + " must be a non-empty list");
            }
        }
    }

    private static boolean matchesObject(ObjectNode pattern, @Nullable JsonNode record) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode value = record == null || !record.isObject() ? null : record.get(field.getKey());
            JsonNode rule = field.getValue();
            boolean ok = rule.isObject() ? matchesObject((ObjectNode) rule, value) : matchesLeaf(rule, value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesLeaf(JsonNode matchers, @Nullable JsonNode value) {
        for (JsonNode matcher : matchers) {
            if (matcher.isObject() && matcher.has("exists")) {
                boolean present = value != null && !value.isNull();
                if (present == matcher.get("exists").asBoolean()) {
                    return true;
                }
                continue;
            }
            if (value != null && value.isArray()) {
                for (JsonNode element : value) {
                    if (matchesOne(matcher, element)) {
                        return true;
                    }
                }
            } else if (matchesOne(matcher, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOne(JsonNode matcher, @Nullable JsonNode value) {
        if (matcher.isObject()) {
            if (matcher.has("prefix")) {
                return value != null && value.isTextual() && value.asText().startsWith(matcher.get("prefix").asText());
            }
            if (matcher.has("suffix")) {
                return value != null && value.isTextual() && value.asText().endsWith(matcher.get("suffix").asText());
            }
            if (matcher.has("anything-but")) {
                JsonNode excluded = matcher.get("anything-but");
                if (value == null || value.isNull()) {
                    return false;
                }
                if (excluded.isArray()) {
                    for (JsonNode one : excluded) {
                        if (equal(one, value)) {
                            return false;
                        }
                    }
                    return true;
                }
                return !equal(excluded, value);
            }
            if (matcher.has("numeric")) {
                return value != null && value.isNumber() && numeric(matcher.get("numeric"), value.decimalValue());
            }
            throw new IllegalArgumentException("unsupported filter matcher " + matcher);
        }
        if (matcher.isNull()) {
            return value != null && value.isNull();
        }
        return value != null && equal(matcher, value);
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean numeric(JsonNode conditions, BigDecimal value) {
        for (int i = 0; i + 1 < conditions.size(); i += 2) {
            int c = value.compareTo(conditions.get(i + 1).decimalValue());
            boolean ok = switch (conditions.get(i).asText()) {
                case "=" -> c == 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalArgumentException("unsupported numeric operator " + conditions.get(i));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
