package dev.factline.functions.query;

import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import dev.factline.functions.http.QueryString;
import dev.factline.functions.http.Texts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters one route takes, read into values; anything else, a repeat, or a value
 * that does not fit is a 400 that names the parameter and says what it takes.
 */
final class QueryParameters {

    /** Digits only, and at most 18 of them, so every value fits a long and stays clear of overflow. */
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");

    private final QueryString query;

    private QueryParameters(QueryString query) {
        this.query = query;
    }

    /** The parameters of {@code query}, refusing any name not in {@code allowed}. */
    static QueryParameters of(QueryString query, String... allowed) {
        query.allowOnly(List.of(allowed));
        return new QueryParameters(query);
    }

    boolean has(String name) {
        return query.has(name);
    }

    /** A stream version, 1 or more; {@code null} without the parameter. */
    @Nullable Long version(String name) {
        String value = query.single(name);
        return value == null ? null : version(name, value);
    }

    /** {@code value} as a stream version (1 or more), named {@code what} when it is refused. */
    static long version(String what, String value) {
        if (!VERSION.matcher(value).matches() || Long.parseLong(value) < 1) {
            throw refused(what, value, "a stream version, a whole number from 1 (versions start at 1)");
        }
        return Long.parseLong(value);
    }

    /** An ISO-8601 instant with a zone offset ({@code 2026-03-01T10:00:00Z}); {@code null} without it. */
    @Nullable Instant instant(String name) {
        String value = query.single(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw refused(name, value, "an ISO-8601 instant with its offset, such as 2026-03-01T10:00:00Z (a '+' offset sent as %2B)");
        }
    }

    /** A page size from 1 to {@code max}; {@code fallback} without the parameter. */
    int limit(String name, int fallback, int max) {
        String value = query.single(name);
        if (value == null) {
            return fallback;
        }
        if (!LIMIT.matcher(value).matches() || Integer.parseInt(value) < 1 || Integer.parseInt(value) > max) {
            throw refused(name, value, "a whole number from 1 to " + max);
        }
        return Integer.parseInt(value);
    }

    /** {@code true} or {@code false}; {@code false} without the parameter. */
    boolean flag(String name) {
        String value = query.single(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw refused(name, value, "true or false");
    }

    /** The parameter as given; {@code null} without it. */
    @Nullable String text(String name) {
        return query.single(name);
    }

    static ProblemException refused(String name, String value, String takes) {
        return ProblemException.of(ProblemType.INVALID_REQUEST, name + " must be " + takes + ", but was " + Texts.quoted(value));
    }
}
