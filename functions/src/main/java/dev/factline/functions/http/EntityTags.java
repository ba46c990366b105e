package dev.factline.functions.http;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stream's version as an HTTP entity tag, both ways: {@code ETag: "3"} on responses, and
 * {@code If-Match: "3"} (or a bare {@code 3}) on requests to pin the version a command expects.
 */
public final class EntityTags {

    public static final String IF_MATCH = "If-Match";

    /** A strong tag of a version: quoted digits. 18 digits keep every value inside a long. */
    private static final Pattern VERSION = Pattern.compile("\"?([0-9]{1,18})\"?");

    private EntityTags() {
    }

    /** The {@code ETag} of {@code version}: {@code "3"}, quotes included. */
    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version {@code If-Match} pins, or {@code null} without one. Anything but one version
     * (weak tags, lists, {@code *}, words) is a 400: guessing what a client meant by a
     * precondition would defeat it.
     */
    public static @Nullable Long ifMatchVersion(@Nullable String header) {
        if (header == null) {
            return null;
        }
        var matcher = VERSION.matcher(header.strip());
        boolean balanced = header.strip().startsWith("\"") == header.strip().endsWith("\"");
        if (!matcher.matches() || !balanced) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST,
                    "If-Match must name one stream version, like \"3\", but was " + Texts.quoted(header));
        }
        return Long.parseLong(matcher.group(1));
    }
}
