package dev.factline.functions.view;

import java.util.Objects;

/** A view as Redis holds it, with the cache generation it was written at. */
public record CachedView(ViewRow row, long generation) {

    public CachedView {
        Objects.requireNonNull(row, "row");
    }

    /** True when it was written at {@code current} or later: written after every outage a reader knows of. */
    public boolean isTrustedAt(long current) {
        return generation >= current;
    }
}
