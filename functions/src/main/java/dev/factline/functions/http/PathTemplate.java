package dev.factline.functions.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route's path, such as {@code /accounts/{id}/deposits}: literal segments, and {@code {name}}
 * segments that match any one segment (validating it is the route's job, so a bad id is a 400
 * that says why, not a 404).
 */
public record PathTemplate(String text) {

    public PathTemplate {
        Objects.requireNonNull(text, "text");
        if (!text.startsWith("/") || text.endsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/' and does not end with one, but was '" + text + "'");
        }
    }

    /** The parameters of {@code path} by name, if it has this template's shape. */
    public Optional<Map<String, String>> match(String path) {
        List<String> expected = segments(text);
        List<String> actual = segments(path);
        if (expected.size() != actual.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < expected.size(); i++) {
            String segment = expected.get(i);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), actual.get(i));
            } else if (!segment.equals(actual.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    /** {@code /a/b/} -> {@code ["a", "b", ""]}: a trailing slash is a segment, so it matches no template. */
    private static List<String> segments(String path) {
        if (!path.startsWith("/")) {
            return List.of();
        }
        return List.of(path.substring(1).split("/", -1));
    }

    @Override
    public String toString() {
        return text;
    }
}
