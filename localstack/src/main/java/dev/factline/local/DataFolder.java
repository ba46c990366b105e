package dev.factline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder where the local pipeline keeps its state between runs ({@code .factline/} in the
 * checkout by default): {@code dynalite/} (the tables and the Streams add-on's journal),
 * {@code kinesalite/}, {@code checkpoints/} (the stream triggers'), {@code parked.json} (what they
 * gave up on), a {@value #MARKER} that names
 * the layout's format, and a {@value #LOCK} that one pipeline at a time holds while it runs.
 *
 * <p>Every refusal ({@link DataFolderException}) happens before anything is written: a path that is
 * a file, a folder with other files in it, a folder of another format, a folder in use.
 */
final class DataFolder implements AutoCloseable {

    /** The layout this version writes and reads; a folder of another format is refused, never migrated. */
    static final int FORMAT = 1;
    static final String MARKER = "factline-data.json";
    static final String LOCK = "lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STORES_RELEASED_WITHIN = Duration.ofSeconds(15);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataFolder(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A refusal to use a folder, in words a user can act on. */
    static class DataFolderException extends RuntimeException {
        DataFolderException(String message) {
            super(message);
        }
    }

    /** A data folder that another version of factline-local wrote. */
    static final class IncompatibleFormatException extends DataFolderException {
        IncompatibleFormatException(String message) {
            super(message);
        }
    }

    /** Opens the folder (creating it and its layout when it is new or empty) and holds its lock until {@link #close()}. */
    static DataFolder open(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        boolean fresh = checkUsable(root);
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel, root);
            if (fresh) {
                Files.writeString(root.resolve(MARKER), JSON.createObjectNode().put("format", FORMAT)
                        .put("writtenBy", "factline-local").toPrettyString() + "\n");
            }
            for (String part : new String[] {"dynalite", "kinesalite", "s3rver", "checkpoints"}) {
                Files.createDirectories(root.resolve(part));
            }
            DataFolder opened = new DataFolder(root, channel, lock);
            try {
                opened.awaitStoresReleased();
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the data folder " + root, e);
        }
    }

    /** Deletes a data folder that is not in use; refuses a folder that is not one. Returns what happened, for the user. */
    static String reset(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            return "Nothing to wipe: " + root + " does not exist.";
        }
        try {
            if (checkUsable(root)) {
                return "Nothing to wipe: " + root + " is empty.";
            }
        } catch (IncompatibleFormatException oldOrNewer) {
            // a data folder all the same: wiping it is the way out
        }
        try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            tryLock(channel, root).release();
        } catch (IOException e) {
            throw new UncheckedIOException("could not check whether " + root + " is in use", e);
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete all of " + root, e);
        }
        return "Wiped " + root + ": the next start begins with empty tables and streams.";
    }

    /**
     * Whether the folder is fresh (absent or empty); refuses a file, a folder with other things in
     * it, and a data folder of another format. Writes nothing.
     */
    private static boolean checkUsable(Path root) {
        if (!Files.exists(root)) {
            return true;
        }
        if (!Files.isDirectory(root)) {
            throw new DataFolderException(root + " is a file, not a folder: --data needs a folder (it is created if missing)");
        }
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.findAny().isEmpty()) {
                return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the data folder " + root, e);
        }
        Path marker = root.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            throw new DataFolderException(root + " is not empty and has no " + MARKER + ", so it is not a factline-local data folder;"
                    + " choose a new or empty folder with --data");
        }
        JsonNode format;
        try {
            format = JSON.readTree(marker.toFile()).path("format");
        } catch (IOException e) {
            throw new IncompatibleFormatException(marker + " is not readable JSON (" + e.getMessage() + "); wipe the folder with --reset");
        }
        if (!format.isInt() || format.asInt() != FORMAT) {
            throw new IncompatibleFormatException(root + " was written by an incompatible version of factline-local (data format "
                    + (format.isMissingNode() ? "missing" : format.toString()) + "; this version reads format " + FORMAT
                    + "). Wipe it with ./factline-local --reset" + (root.endsWith(".factline") ? "" : " --data " + root)
                    + ", or use another folder with --data");
        }
        return false;
    }

    private static FileLock tryLock(FileChannel channel, Path root) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this JVM: in use all the same
        }
        channel.close();
        throw new DataFolderException(root + " is in use by another factline-local; stop that one first (Ctrl-C), or use another folder with --data");
    }

    /**
     * Waits until no process holds the LevelDB stores' locks: after a {@code kill -9} of a pipeline its
     * emulators take a moment to let the requests in flight finish and close their stores (tools/serve-child.js).
     * LevelDB locks its {@code LOCK} file with fcntl, as {@link FileChannel#tryLock()} does on Linux and macOS.
     */
    private void awaitStoresReleased() throws IOException {
        long deadline = System.nanoTime() + STORES_RELEASED_WITHIN.toNanos();
        for (Path store : new Path[] {dynalite().resolve("tables").resolve("LOCK"), kinesalite().resolve("LOCK")}) {
            if (!Files.exists(store)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(store, StandardOpenOption.WRITE)) {
                for (;;) {
                    FileLock held = channel.tryLock();
                    if (held != null) {
                        held.release();
                        break;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new DataFolderException(store.getParent() + " is still held by another process (an emulator of a pipeline that"
                                + " ran on " + root + "?) after " + STORES_RELEASED_WITHIN.toSeconds() + " s; end it and start again");
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for " + store, e);
                    }
                }
            }
        }
    }

    Path root() {
        return root;
    }

    Path dynalite() {
        return root.resolve("dynalite");
    }

    Path kinesalite() {
        return root.resolve("kinesalite");
    }

    /** The payload bucket's objects (s3rver's own file store). */
    Path s3rver() {
        return root.resolve("s3rver");
    }

    Path checkpoints() {
        return root.resolve("checkpoints");
    }

    Path parkedRecords() {
        return root.resolve("parked.json");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            System.err.println("[local] could not release the lock of " + root + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "data folder " + root;
    }
}
