package dev.factline.eventsourcing;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A value no two streams of an aggregate type may hold (a product's SKU): the event that takes
 * it claims it in the same atomic write as its commit, and a commit whose claim another stream
 * holds is refused as a whole ({@link UniqueValueTakenException}). A claim is kept for good, so
 * a value once taken stays with its stream; the stream that holds it may claim it again.
 *
 * @param name what the value is, lower-case and dashes ({@code sku}): it names the claims' keys and the refusal's code
 * @param claimedBy the value an event takes, if it takes one
 */
public record Uniqueness<E>(String name, Function<E, Optional<String>> claimedBy) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public Uniqueness {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a unique value's name is lower-case letters, digits and dashes, starting with a "
                    + "letter, at most 32 characters, but got '" + name + "'");
        }
        Objects.requireNonNull(claimedBy, "claimedBy");
    }

    /** The code a client sees when another stream holds the value: {@code <name>-taken}. */
    public String takenCode() {
        return name + "-taken";
    }
}
