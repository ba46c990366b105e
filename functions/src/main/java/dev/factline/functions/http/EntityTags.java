package dev.factline.functions.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stream's version as an HTTP entity tag, both ways: {@code ETag: "3"} on responses, and
 * {@code If-Match: "3"} (or a bare {@code 3}) on requests to pin the version a command expects.
 * For reads, also a weak tag of content that has no single version ({@link #weakOf}) and the
 * conditional GET's {@code If-None-Match} ({@link #ifNoneMatch}).
 */
public final class EntityTags {

    public static final String IF_MATCH = "If-Match";
    public static final String IF_NONE_MATCH = "If-None-Match";

    /** 128 bits of SHA-256: collisions are out of reach, and the tag stays short. */
    private static final int WEAK_TAG_BYTES = 16;

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

    /**
     * A weak tag derived from {@code content}: {@code W/"<base64url of SHA-256, 128 bits>"}, for
     * representations that have no one version (a dashboard summed from several rows, a page of a
     * list). Equal content, equal tag.
     */
    public static String weakOf(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, WEAK_TAG_BYTES)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The tags of an {@code If-None-Match} header, or {@code null} without one. The header is
     * {@code *} or a comma-separated list of entity tags, each {@code "opaque"} or
     * {@code W/"opaque"} (RFC 9110, section 13.1.2); anything else is a 400, as a malformed
     * {@code If-Match} is.
     */
    public static @Nullable IfNoneMatch ifNoneMatch(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String text = header.strip();
        if (text.equals("*")) {
            return new IfNoneMatch(true, Set.of());
        }
        Set<String> opaqueTags = new HashSet<>();
        int at = 0;
        while (at < text.length()) {
            at = skipSeparators(text, at);
            if (at == text.length()) {
                break;
            }
            int opening = text.startsWith("W/", at) ? at + 2 : at;
            int closing = opening < text.length() && text.charAt(opening) == '"' ? text.indexOf('"', opening + 1) : -1;
            if (closing < 0) {
                throw malformedNoneMatch(header);
            }
            String opaque = text.substring(opening, closing + 1);
            if (!isOpaqueTag(opaque)) {
                throw malformedNoneMatch(header);
            }
            opaqueTags.add(opaque);
            at = skipWhitespace(text, closing + 1);
            if (at < text.length() && text.charAt(at) != ',') {
                throw malformedNoneMatch(header);
            }
        }
        if (opaqueTags.isEmpty()) {
            throw malformedNoneMatch(header);
        }
        return new IfNoneMatch(false, Set.copyOf(opaqueTags));
    }

    /**
     * What {@code If-None-Match} names: any current representation ({@code *}), or these opaque
     * tags (quotes included, {@code W/} dropped).
     */
    public record IfNoneMatch(boolean any, Set<String> opaqueTags) {

        public IfNoneMatch {
            opaqueTags = Set.copyOf(opaqueTags);
        }

        /**
         * Whether a representation tagged {@code etag} matches, by the weak comparison that
         * {@code If-None-Match} uses: the opaque tags are equal, weak or not. A match answers a
         * GET with 304.
         */
        public boolean matches(String etag) {
            return any || opaqueTags.contains(etag.startsWith("W/") ? etag.substring(2) : etag);
        }
    }

    /** {@code "..."} whose inside is etagc: {@code !}, {@code #}-{@code ~}, or obs-text. */
    private static boolean isOpaqueTag(String quoted) {
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (!(c == 0x21 || c >= 0x23 && c <= 0x7E || c >= 0x80 && c <= 0xFF)) {
                return false;
            }
        }
        return quoted.length() >= 2;
    }

    private static int skipSeparators(String text, int from) {
        int at = from;
        while (at < text.length() && (text.charAt(at) == ',' || text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
        return at;
    }

    private static int skipWhitespace(String text, int from) {
        int at = from;
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
        return at;
    }

    private static ProblemException malformedNoneMatch(String header) {
        return ProblemException.of(ProblemType.INVALID_REQUEST,
                "If-None-Match must be * or a list of entity tags such as \"3\" or W/\"3\", but was " + Texts.quoted(header));
    }
}
