package dev.factline.functions.query;

import dev.factline.functions.http.ProblemException;
import dev.factline.functions.http.ProblemType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which view of a stream a request asks for:
 *
 * <ul>
 *   <li>{@link Current}: the view as the read side has it; with {@code minVersion=N} (or the
 *       {@code Min-Version: N} header) at least version N, and with {@code consistent=true} the
 *       stream's head, both rebuilt from the event store when the read side is behind.
 *   <li>{@link AtVersion}: {@code atVersion=N}, the view exactly at version N.
 *   <li>{@link AsOf}: {@code asOf=<instant>}, the view as it stood then.
 * </ul>
 *
 * A current read and the two temporal ones exclude each other: asking for two is a 400.
 */
sealed interface ViewSelector {

    String MIN_VERSION = "minVersion";
    String CONSISTENT = "consistent";
    String AT_VERSION = "atVersion";
    String AS_OF = "asOf";
    /** The header form of {@code minVersion}, for clients that would rather not touch the URL; {@code 5} or the ETag {@code "5"}. */
    String MIN_VERSION_HEADER = "Min-Version";
    String[] PARAMETERS = {MIN_VERSION, CONSISTENT, AT_VERSION, AS_OF};

    /** @param minVersion the least version to serve, or null for any; @param consistent whether to read up to the head */
    record Current(@Nullable Long minVersion, boolean consistent) implements ViewSelector {
        static final Current ANY = new Current(null, false);
    }

    record AtVersion(long version) implements ViewSelector {
    }

    record AsOf(Instant instant) implements ViewSelector {
    }

    /** The selector in the parameters (already limited to {@link #PARAMETERS}) and the {@code Min-Version} header. */
    static ViewSelector read(QueryParameters parameters, @Nullable String minVersionHeader) {
        Long minVersion = parameters.version(MIN_VERSION);
        if (minVersionHeader != null) {
            if (minVersion != null) {
                throw ProblemException.of(ProblemType.INVALID_REQUEST,
                        "the minimum version is given both as minVersion and in the " + MIN_VERSION_HEADER + " header; give it once");
            }
            minVersion = headerVersion(minVersionHeader);
        }
        boolean consistent = parameters.flag(CONSISTENT);
        Long atVersion = parameters.version(AT_VERSION);
        Instant asOf = parameters.instant(AS_OF);
        List<String> asked = new ArrayList<>();
        if (minVersion != null) {
            asked.add(minVersionHeader != null ? MIN_VERSION_HEADER : MIN_VERSION);
        }
        if (parameters.has(CONSISTENT)) {
            asked.add(CONSISTENT);
        }
        if (atVersion != null) {
            asked.add(AT_VERSION);
        }
        if (asOf != null) {
            asked.add(AS_OF);
        }
        if ((atVersion != null || asOf != null) && asked.size() > 1) {
            throw ProblemException.of(ProblemType.INVALID_REQUEST, String.join(" and ", asked) + " cannot be combined: atVersion and asOf"
                    + " each name one view of the past, while minVersion and consistent ask for the present");
        }
        if (atVersion != null) {
            return new AtVersion(atVersion);
        }
        if (asOf != null) {
            return new AsOf(asOf);
        }
        return minVersion == null && !consistent ? Current.ANY : new Current(minVersion, consistent);
    }

    /** {@code 5} or {@code "5"} (the ETag a command answered with). */
    private static long headerVersion(String header) {
        String value = header.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return QueryParameters.version(MIN_VERSION_HEADER, value);
    }
}
