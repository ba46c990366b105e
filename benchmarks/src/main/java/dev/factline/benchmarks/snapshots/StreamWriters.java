package dev.factline.benchmarks.snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes streams a few at once: dynalite answers one call at a time, but the client's side of
 * each call overlaps. Public for the projector section, which writes its streams the same way.
 */
public final class StreamWriters {

    private static final int WRITERS = 4;

    private StreamWriters() {
    }

    /** Runs every writing task and returns their results in the tasks' order; the first failure stops the others. */
    public static <T> List<T> all(List<Callable<T>> writings) {
        try (ExecutorService writers = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<T>> pending = writings.stream().map(writers::submit).toList();
            try {
                List<T> written = new ArrayList<>(pending.size());
                for (Future<T> writing : pending) {
                    written.add(writing.get());
                }
                return written;
            } catch (InterruptedException e) {
                writers.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing the streams", e);
            } catch (ExecutionException e) {
                // Otherwise closing the pool would wait for every other writer before the failure is seen.
                writers.shutdownNow();
                throw new IllegalStateException("could not write the streams", e.getCause());
            }
        }
    }
}
