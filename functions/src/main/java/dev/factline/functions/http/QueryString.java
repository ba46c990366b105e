package dev.factline.functions.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a request's query string, read strictly: a parameter a resource does not take
 * is refused ({@link #allowOnly}), and so is one given twice ({@link #single}), so a misspelt or
 * repeated {@code minVersion} is a 400 that says so rather than a silently different answer.
 *
 * <p>Names and values are percent-decoded as UTF-8 (RFC 3986); malformed escapes are a 400. A
 * {@code +} stays a plus: it means a space only in HTML form encoding, and no parameter here holds
 * a space, while an instant's offset ({@code asOf=2026-03-01T11:00:00+01:00}) holds a plus.
 */
public final class QueryString {

    private static final QueryString EMPTY = new QueryString(Map.of());

    private final Map<String, List<String>> parameters;

    private QueryString(Map<String, List<String>> parameters) {
        this.parameters = parameters;
    }

    /** {@code a=1&b=2} as sent (API Gateway's {@code rawQueryString}); null or empty is no parameters. */
    public static QueryString parse(@Nullable String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return new QueryString(copy(parameters));
    }

    /** Parameters already decoded (API Gateway's {@code queryStringParameters}, repeats joined with commas). */
    public static QueryString of(Map<String, String> decoded) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        decoded.forEach((name, value) -> {
            if (name != null) {
                parameters.put(name, List.of(value == null ? "" : value));
            }
        });
        return new QueryString(copy(parameters));
    }

    public boolean isEmpty() {
        return parameters.isEmpty();
    }

    public Set<String> names() {
        return parameters.keySet();
    }

    public boolean has(String name) {
        return parameters.containsKey(name);
    }

    /** The parameter's one value, or {@code null} without it; given more than once is a 400. */
    public @Nullable String single(String name) {
        List<String> values = parameters.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST,
                    "the query parameter " + Texts.quoted(name) + " is given " + values.size() + " times; give it once");
        }
        return values.getFirst();
    }

    /** Refuses any parameter not in {@code allowed}, naming it and what the resource does take. */
    public void allowOnly(Collection<String> allowed) {
        for (String name : parameters.keySet()) {
            if (!allowed.contains(name)) {
                String takes = allowed.isEmpty()
                        ? "this resource takes no query parameters"
                        : "this resource takes " + String.join(", ", new TreeSet<>(allowed));
                throw ProblemException.of(ProblemType.INVALID_REQUEST,
                        "unknown query parameter " + Texts.quoted(name) + "; " + takes + " (names are case-sensitive)");
            }
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> parameters) {
        Map<String, List<String>> copied = new LinkedHashMap<>();
        parameters.forEach((name, values) -> copied.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copied);
    }

    /** Percent-decoding as UTF-8; a malformed escape or byte sequence is a 400. */
    private static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        int next = 0;
        while (next < encoded.length()) {
            int escape = encoded.indexOf('%', next);
            int plainEnd = escape < 0 ? encoded.length() : escape;
            bytes.writeBytes(encoded.substring(next, plainEnd).getBytes(StandardCharsets.UTF_8));
            if (escape < 0) {
                break;
            }
            int high = escape + 2 < encoded.length() ? hex(encoded.charAt(escape + 1)) : -1;
            int low = escape + 2 < encoded.length() ? hex(encoded.charAt(escape + 2)) : -1;
            if (high < 0 || low < 0) {
                throw malformed(encoded);
            }
            bytes.write(high * 16 + low);
            next = escape + 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            throw malformed(encoded);
        }
    }

    /** An ASCII hex digit's value, or -1 ({@code Character.digit} would take other scripts' digits too). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = Character.toLowerCase(c);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static ProblemException malformed(String encoded) {
        return ProblemException.of(ProblemType.INVALID_REQUEST,
                "the query string holds " + Texts.quoted(encoded) + ", which is not valid percent-encoded UTF-8");
    }
}
