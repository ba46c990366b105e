package dev.factline.benchmarks;

/** How thoroughly to measure: {@code QUICK} (under 3 minutes on 2 cores) or {@code FULL} (under 15). */
public enum Mode {
    QUICK, FULL;

    /** The setting for this mode. */
    public <T> T pick(T quick, T full) {
        return this == QUICK ? quick : full;
    }
}
