package dev.factline.functions.publisher;

import java.time.Duration;
import java.util.function.LongSupplier;

/** When the publisher must stop starting calls, so that it can still answer Lambda. */
@FunctionalInterface
interface Deadline {

    boolean passed();

    static Deadline none() {
        return () -> false;
    }

    /** {@code left} from now on {@code nanoTime}'s clock, minus {@code reserve}. */
    static Deadline after(Duration left, Duration reserve, LongSupplier nanoTime) {
        long end = nanoTime.getAsLong() + left.minus(reserve).toNanos();
        return () -> nanoTime.getAsLong() - end >= 0;
    }
}
