package dev.factline.eventsourcing;

import org.jspecify.annotations.Nullable;

/**
 * Where the kernel reports what it survived without failing the request: a snapshot it could not
 * save, or one it ignored and replayed past. A function passes one that writes its own JSON log
 * line; the kernel does not use {@code System.Logger}, which would load {@code java.util.logging}
 * (some 40 classes) on every cold start for a line that is rarely written.
 */
@FunctionalInterface
public interface Warnings {

    void warn(String message, @Nullable Throwable cause);

    /** The message and the cause's stack trace on standard error: for callers that pass none of their own. */
    static Warnings standardError() {
        return (message, cause) -> {
            System.err.println("WARNING " + message);
            if (cause != null) {
                cause.printStackTrace();
            }
        };
    }
}
