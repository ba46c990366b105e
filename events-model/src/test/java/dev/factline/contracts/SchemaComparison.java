package dev.factline.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two schemas of the catalogue's kind (objects, arrays, scalar types, enums, constraints; all
 * inlined) compared field by field. Every finding names its field as a path of member names
 * ({@code amount.currency}, {@code lines[].sku}), so a failed check says where to look.
 */
final class SchemaComparison {

    private static final String PAYLOAD = "(the payload itself)";
    /** Keywords that narrow what a value may be: a reader of the older schema relies on each as it was. */
    private static final List<String> CONSTRAINTS = List.of("const", "pattern", "format", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems");

    private SchemaComparison() {
    }

    /** Every way {@code generated} differs from {@code committed}; empty when they are the same JSON. */
    static List<String> differences(JsonNode committed, JsonNode generated) {
        List<String> found = new ArrayList<>();
        differences(committed, generated, "", found);
        return found;
    }

    /**
     * What a reader of {@code older} that ignores members it does not know could not read in a
     * payload that {@code newer} allows: a member it requires gone or made optional, a type, value
     * or constraint it does not accept. New members are fine.
     */
    static List<String> forwardBreaks(JsonNode older, JsonNode newer) {
        List<String> found = new ArrayList<>();
        forward(older, newer, "", found);
        return found;
    }

    private static void differences(JsonNode committed, JsonNode generated, String field, List<String> found) {
        Set<String> keywords = new TreeSet<>();
        committed.fieldNames().forEachRemaining(keywords::add);
        generated.fieldNames().forEachRemaining(keywords::add);
        for (String keyword : keywords) {
            JsonNode was = committed.get(keyword);
            JsonNode is = generated.get(keyword);
            if (was != null && was.equals(is)) {
                continue;
            }
            switch (keyword) {
                case "properties" -> {
                    Set<String> members = new TreeSet<>();
                    if (was != null) {
                        was.fieldNames().forEachRemaining(members::add);
                    }
                    if (is != null) {
                        is.fieldNames().forEachRemaining(members::add);
                    }
                    for (String member : members) {
                        JsonNode wasMember = was == null ? null : was.get(member);
                        JsonNode isMember = is == null ? null : is.get(member);
                        if (wasMember == null) {
                            found.add(name(member(field, member)) + " is generated but not in the committed schema");
                        } else if (isMember == null) {
                            found.add(name(member(field, member)) + " is in the committed schema but no longer generated");
                        } else {
                            differences(wasMember, isMember, member(field, member), found);
                        }
                    }
                }
                case "items" -> {
                    if (was != null && is != null) {
                        differences(was, is, field + "[]", found);
                    } else {
                        found.add(name(field) + ": 'items' is " + shown(was) + " committed and " + shown(is) + " generated");
                    }
                }
                case "required" -> {
                    for (String member : onlyIn(was, is)) {
                        found.add(name(member(field, member)) + " is required in the committed schema only");
                    }
                    for (String member : onlyIn(is, was)) {
                        found.add(name(member(field, member)) + " is required in the generated schema only");
                    }
                }
                default -> found.add(name(field) + ": '" + keyword + "' is " + shown(was) + " committed and " + shown(is) + " generated");
            }
        }
    }

    private static void forward(JsonNode older, JsonNode newer, String field, List<String> found) {
        Set<String> olderTypes = types(older);
        Set<String> newerTypes = types(newer);
        if (!olderTypes.isEmpty()) {
            if (newerTypes.isEmpty()) {
                found.add(name(field) + " may now be of any type; readers of the older version take " + olderTypes);
            }
            for (String type : newerTypes) {
                if (!olderTypes.contains(type) && !(type.equals("integer") && olderTypes.contains("number"))) {
                    found.add(name(field) + " may now be " + type + "; readers of the older version take " + olderTypes);
                }
            }
        }
        JsonNode olderValues = older.get("enum");
        if (olderValues != null) {
            JsonNode newerValues = newer.get("enum");
            if (newerValues == null) {
                found.add(name(field) + " may now take any value; readers of the older version know only " + olderValues);
            } else {
                for (String value : onlyIn(newerValues, olderValues)) {
                    found.add(name(field) + " may now be '" + value + "', a value readers of the older version do not know");
                }
            }
        }
        for (String constraint : CONSTRAINTS) {
            JsonNode was = older.get(constraint);
            if (was != null && !was.equals(newer.get(constraint))) {
                found.add(name(field) + ": its '" + constraint + "' was " + was + " and is now " + shown(newer.get(constraint)));
            }
        }
        Set<String> olderRequired = members(older.get("required"));
        Set<String> newerRequired = members(newer.get("required"));
        JsonNode newerProperties = newer.path("properties");
        older.path("properties").properties().forEach(property -> {
            String member = member(field, property.getKey());
            JsonNode newerProperty = newerProperties.get(property.getKey());
            if (olderRequired.contains(property.getKey())) {
                if (newerProperty == null) {
                    found.add(name(member) + " is required by readers of the older version and is gone");
                } else if (!newerRequired.contains(property.getKey())) {
                    found.add(name(member) + " is required by readers of the older version and is now optional");
                }
            }
            if (newerProperty != null) {
                forward(property.getValue(), newerProperty, member, found);
            }
        });
        if (older.has("items") && newer.has("items")) {
            forward(older.get("items"), newer.get("items"), field + "[]", found);
        }
    }

    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        Set<String> types = new LinkedHashSet<>();
        if (type != null && type.isTextual()) {
            types.add(type.textValue());
        } else if (type != null) {
            type.forEach(each -> types.add(each.asText()));
        }
        return types;
    }

    private static Set<String> members(JsonNode array) {
        Set<String> members = new TreeSet<>();
        if (array != null) {
            array.forEach(member -> members.add(member.asText()));
        }
        return members;
    }

    /** The values of array {@code some} not in array {@code other}, as JSON text (members of {@code required}: as names). */
    private static Set<String> onlyIn(JsonNode some, JsonNode other) {
        Set<String> values = new TreeSet<>();
        if (some == null) {
            return values;
        }
        Set<JsonNode> others = new HashSet<>();
        if (other != null) {
            other.forEach(others::add);
        }
        some.forEach(value -> {
            if (!others.contains(value)) {
                values.add(value.isTextual() ? value.textValue() : value.toString());
            }
        });
        return values;
    }

    private static String member(String field, String member) {
        return field.isEmpty() ? member : field + "." + member;
    }

    private static String name(String field) {
        return field.isEmpty() ? PAYLOAD : "field '" + field + "'";
    }

    private static String shown(JsonNode value) {
        return value == null ? "absent" : value.toString();
    }
}
