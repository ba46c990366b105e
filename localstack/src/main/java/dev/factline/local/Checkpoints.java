package dev.factline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a stream trigger's shards stand: per shard, the sequence number of the last record done or
 * parked. In memory, or also in a file of the data folder ({@code checkpoints/<function>.json}),
 * rewritten whole (a temp file moved over it, so a crash leaves the old or the new one, never a
 * torn one) after every batch, so that a pipeline started again resumes after it. The file is
 * written after the function has handled the batch: a crash in between delivers the batch again.
 */
final class Checkpoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final @Nullable Path file;
    private final Map<String, String> byShard = new ConcurrentHashMap<>();

    private Checkpoints(@Nullable Path file) {
        this.file = file;
    }

    /** Checkpoints kept only while the pipeline runs. */
    static Checkpoints inMemory() {
        return new Checkpoints(null);
    }

    /** The checkpoints of one trigger's function in {@code folder}, read back if they were written before. */
    static Checkpoints in(Path folder, String function) {
        Checkpoints checkpoints = new Checkpoints(folder.resolve(function + ".json"));
        Path file = checkpoints.file;
        if (file != null && Files.exists(file)) {
            try {
                JSON.readTree(file.toFile()).properties().forEach(entry -> checkpoints.byShard.put(entry.getKey(), entry.getValue().asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the stream checkpoints in " + file + "; wipe the data folder (--reset)", e);
            }
        }
        return checkpoints;
    }

    /** The last sequence number done in the shard of the stream, or null when none is. */
    @Nullable String of(String streamArn, String shardId) {
        return byShard.get(key(streamArn, shardId));
    }

    void save(String streamArn, String shardId, String sequenceNumber) {
        byShard.put(key(streamArn, shardId), sequenceNumber);
        if (file != null) {
            write(file);
        }
    }

    private synchronized void write(Path target) {
        ObjectNode json = JSON.createObjectNode();
        byShard.forEach(json::put);
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(temp, json.toString());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the stream checkpoints to " + target, e);
        }
    }

    private static String key(String streamArn, String shardId) {
        return streamArn + "/" + shardId;
    }
}
