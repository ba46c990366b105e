package dev.factline.functions.query;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a query answers before it is tied to a request: the JSON body, its entity tag, and the
 * stream version it shows when it shows one (for the log).
 */
record Representation(String json, String etag, @Nullable Long version) {

    Representation {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(etag, "etag");
    }
}
