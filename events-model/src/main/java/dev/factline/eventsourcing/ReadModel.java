package dev.factline.eventsourcing;

import java.util.regex.Pattern;

/**
 * A read model as one declaration: what the projector keeps, the query function serves and a
 * rebuild refills, whatever the domain. Each lives in its own key space of the read table,
 * {@code <name>@<version>}, so a new version can be built beside the one being served.
 *
 * <ul>
 *   <li>{@link StreamView}: one document per stream of an aggregate type, folded from its events;
 *   <li>{@link Tally}: counters summed over the views of a {@link StreamView}, exact under
 *       re-delivery because they move in the same write as the views they count.
 * </ul>
 */
public sealed interface ReadModel permits StreamView, Tally {

    /** Lower-case, digits and dashes: it names keys in DynamoDB and Redis, and routes. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,47}");

    String name();

    int version();

    /** Where its rows live: the prefix of every key it writes, {@code <name>@<version>}. */
    default String space() {
        return name() + "@" + version();
    }

    static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a read model's name is lower-case letters, digits and dashes, starting with a letter, "
                    + "at most 48 characters, but got '" + name + "'");
        }
    }

    static void requireVersion(String name, int version) {
        if (version < 1) {
            throw new IllegalArgumentException("read model " + name + "'s version is 1 or more, but got " + version);
        }
    }
}
