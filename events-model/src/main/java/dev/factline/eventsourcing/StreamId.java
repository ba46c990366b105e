package dev.factline.eventsourcing;

import java.util.regex.Pattern;

/**
 * Identifies one event stream: {@code <type>#<id>}, e.g. {@code account#a-42}.
 *
 * <p>The type names the aggregate (lower case, so it is stable in keys and URLs); the id is
 * what a client chose or was given. Both are restricted to characters that are safe in a
 * DynamoDB key, a Redis key, a Kinesis partition key and a URL path segment without escaping.
 */
public record StreamId(String type, String id) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final char SEPARATOR = '#';

    public StreamId {
        requireType(type);
        requireId("stream id", id);
    }

    /**
     * Checks the type part of a stream id (an aggregate's name).
     *
     * @return {@code value}, for use in assignments
     */
    public static String requireType(String value) {
        if (value == null || !TYPE.matcher(value).matches()) {
            throw new IllegalArgumentException("stream type must be 1-32 characters of a-z, 0-9 or '-', starting with a letter, but was "
                    + Require.quoted(value));
        }
        return value;
    }

    /**
     * Checks an identifier that is, or will become, the id part of a stream id (an account id
     * inside an order, say), naming the field when it is not one.
     *
     * @return {@code value}, for use in assignments
     */
    public static String requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-', starting with a letter or digit, but was "
                    + Require.quoted(value));
        }
        return value;
    }

    public static StreamId of(String type, String id) {
        return new StreamId(type, id);
    }

    /** Parses the {@code <type>#<id>} form produced by {@link #toString()}. */
    public static StreamId parse(String value) {
        int separator = value.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("stream id must look like <type>#<id>, but was " + Require.quoted(value));
        }
        return new StreamId(value.substring(0, separator), value.substring(separator + 1));
    }

    @Override
    public String toString() {
        return type + SEPARATOR + id;
    }
}
